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
 */
public final class Authenticator {

    public static final String ENGINE_DEFAULT_USER = "default";

    /** An account other than the default one: its password and the engine user's secret password. */
    public record Account(String name, String password, String enginePassword) {
    }

    private final String instanceId;
    private final String password;
    private final boolean passwordFree;
    private final Map<String, Account> accounts;

    /** @param accounts the instance's accounts other than the default one, by name */
    public Authenticator(String instanceId, String password, boolean passwordFree, Map<String, Account> accounts) {
        this.instanceId = instanceId;
        this.password = password;
        this.passwordFree = passwordFree || password == null;
        this.accounts = Map.copyOf(accounts);
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
        if (matches(password, secret)) {
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
            return matches(account.password(), secret) ? account.name() : null;
        }
        if (passwordFree) {
            return ENGINE_DEFAULT_USER;
        }
        boolean defaultAccount = instanceId.equals(user) || ENGINE_DEFAULT_USER.equals(user);
        return defaultAccount && matches(password, secret) ? ENGINE_DEFAULT_USER : null;
    }

    /** The password the node connection authenticates with as this engine user. */
    public String enginePassword(String engineUser, String internalPassword) {
        if (ENGINE_DEFAULT_USER.equals(engineUser)) {
            return internalPassword;
        }
        Account a = accounts.get(engineUser);
        return a == null ? null : a.enginePassword();
    }

    private static boolean matches(String expected, String secret) {
        return expected != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
    }
}
