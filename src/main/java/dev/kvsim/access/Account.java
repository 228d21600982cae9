package dev.kvsim.access;

/**
 * An instance account besides the default one. On every node it is an engine user of the same
 * name whose ACL rules carry the privilege ({@link PrivilegeRules}), so that the engine itself
 * answers NOPERM. kvsim keeps the account's password as a {@link PasswordHash} only; the engine
 * user has a secret of its own.
 *
 * @param description the account's description, or null
 */
public record Account(String name, String passwordHash, Privilege privilege, String enginePassword, String description) {

    public enum Privilege {
        RoleReadOnly,
        RoleReadWrite
    }

    /** @param newPasswordHash a {@link PasswordHash} */
    public Account withPasswordHash(String newPasswordHash) {
        return new Account(name, newPasswordHash, privilege, enginePassword, description);
    }

    public Account withPrivilege(Privilege newPrivilege) {
        return new Account(name, passwordHash, newPrivilege, enginePassword, description);
    }

    public Account withDescription(String newDescription) {
        return new Account(name, passwordHash, privilege, enginePassword, newDescription);
    }
}
