package dev.kvsim.limits;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The instance's password check as the service does it: the default account's user name is the
 * instance ID (the engine's own name {@code default} is accepted too), and {@code AUTH <password>},
 * {@code AUTH <user>:<password>} and {@code AUTH <user> <password>} all work. A password-free
 * instance (vpcAuthMode Close) admits every client without AUTH and accepts any AUTH.
 */
public final class Authenticator {

    public static final String ENGINE_DEFAULT_USER = "default";

    private final String instanceId;
    private volatile String password;
    private volatile boolean passwordFree;

    public Authenticator(String instanceId, String password, boolean passwordFree) {
        this.instanceId = instanceId;
        this.password = password;
        this.passwordFree = passwordFree || password == null;
    }

    /** Whether a new connection must AUTH before anything else. */
    public boolean required() {
        return !passwordFree;
    }

    public void update(String newPassword, boolean newPasswordFree) {
        this.password = newPassword;
        this.passwordFree = newPasswordFree || newPassword == null;
    }

    /** {@code AUTH <secret>}: a bare password or {@code <user>:<password>}. */
    public boolean checkSingle(String secret) {
        if (passwordFree || matches(secret)) {
            return true;
        }
        int colon = secret.indexOf(':');
        return colon > 0 && checkUser(secret.substring(0, colon), secret.substring(colon + 1));
    }

    /** {@code AUTH <user> <password>}. */
    public boolean checkUser(String user, String secret) {
        if (passwordFree) {
            return true;
        }
        boolean defaultAccount = instanceId.equals(user) || ENGINE_DEFAULT_USER.equals(user);
        return defaultAccount && matches(secret);
    }

    private boolean matches(String secret) {
        String p = password;
        return p != null && MessageDigest.isEqual(p.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
    }
}
