package dev.kvsim.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An instance account besides the default one. On every node it is an engine user of the same
 * name whose ACL rules carry the privilege, so that the engine itself answers NOPERM. kvsim keeps
 * the account's password as a {@link PasswordHash} only; the engine user has a secret of its own.
 *
 * @param description the account's description, or null
 */
public record Account(String name, String passwordHash, Privilege privilege, String enginePassword, String description) {

    public enum Privilege {
        RoleReadOnly("+@all -@write"),
        RoleReadWrite("+@all");

        private final String commandRules;

        Privilege(String commandRules) {
            this.commandRules = commandRules;
        }
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

    /** The ACL rules after the user name, for ACL SETUSER and the node's config file. */
    public String aclRules() {
        return "on #" + sha256(enginePassword) + " ~* &* " + privilege.commandRules;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
