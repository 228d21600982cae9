package dev.kvsim.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * The instance's password check as the service does it: the default account's user name is the
 * instance ID (the engine's own name {@code default} is accepted too), and {@code AUTH <password>},
 * {@code AUTH <user>:<password>} and {@code AUTH <user> <password>} all work, for the default
 * account and for the instance's other accounts. A password-free instance (vpcAuthMode Close)
 * admits every client without AUTH and accepts any AUTH that does not name another account.
 *
 * <p>Immutable: a change of password or accounts makes a new one. A successful check answers the engine user the connection's node connection must run as:
 * {@link #ENGINE_DEFAULT_USER} for the default account, else the account's own engine user, whose
 * ACL rules carry the account's privilege.
 *
 * <p>It knows the passwords only as {@link PasswordHash}es. kvsim's SLA probe logs in as the
 * default account with {@link ProbeLogin}'s secret, which exists only in kvsim's memory.
 */
public final class Authenticator {

    public static final String ENGINE_DEFAULT_USER = "default";

    /** An account other than the default one: its password's hash and the engine user's secret password. */
    public record Account(String name, String passwordHash, String enginePassword) {
    }

    private final String instanceId;
    private final String passwordHash;
    private final boolean passwordFree;
    private final Map<String, Account> accounts;
    private final String probeSecret;

    /**
     * @param passwordHash the default account's password as a {@link PasswordHash}, null for none
     * @param accounts     the instance's accounts other than the default one, by name
     */
    public Authenticator(String instanceId, String passwordHash, boolean passwordFree, Map<String, Account> accounts,
                         ProbeLogin probe) {
        this.instanceId = instanceId;
        this.passwordHash = passwordHash;
        this.passwordFree = passwordFree || passwordHash == null;
        this.accounts = Map.copyOf(accounts);
        this.probeSecret = probe.secret();
    }

    /** Whether a new connection must AUTH before anything else. */
    public boolean required() {
        return !passwordFree;
    }

    /**
     * {@code AUTH <secret>}: a bare password or {@code <user>:<password>}.
     *
     * @return the engine user to run as, or null when refused
     */
    public String checkSingle(String secret) {
        if (PasswordHash.matches(passwordHash, secret) || isProbe(secret)) {
            return ENGINE_DEFAULT_USER;
        }
        int colon = secret.indexOf(':');
        if (colon > 0) {
            String user = secret.substring(0, colon);
            String engineUser = checkUser(user, secret.substring(colon + 1));
            if (engineUser != null || accounts.containsKey(user)) {
                return engineUser;  // an account named with a wrong password is refused, password-free or not
            }
        }
        return passwordFree ? ENGINE_DEFAULT_USER : null;
    }

    /**
     * {@code AUTH <user> <password>}.
     *
     * @return the engine user to run as, or null when refused
     */
    public String checkUser(String user, String secret) {
        Account account = accounts.get(user);
        if (account != null) {
            return PasswordHash.matches(account.passwordHash(), secret) ? account.name() : null;
        }
        if (passwordFree) {
            return ENGINE_DEFAULT_USER;
        }
        boolean defaultAccount = instanceId.equals(user) || ENGINE_DEFAULT_USER.equals(user);
        return defaultAccount && PasswordHash.matches(passwordHash, secret) ? ENGINE_DEFAULT_USER : null;
    }

    /** The password the node connection authenticates with as this engine user. */
    public String enginePassword(String engineUser, String internalPassword) {
        if (ENGINE_DEFAULT_USER.equals(engineUser)) {
            return internalPassword;
        }
        Account a = accounts.get(engineUser);
        return a == null ? null : a.enginePassword();
    }

    private boolean isProbe(String secret) {
        return MessageDigest.isEqual(probeSecret.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
    }
}
