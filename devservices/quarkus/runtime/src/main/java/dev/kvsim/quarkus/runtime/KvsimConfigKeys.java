package dev.kvsim.quarkus.runtime;

/**
 * The application config keys the kvsim dev service sets once kvsim runs (through Quarkus's dev services config
 * source, ordinal 240: below {@code application.properties}). The CDI producers read them.
 */
public final class KvsimConfigKeys {

    /** kvsim's admin API, e.g. {@code http://127.0.0.1:41234}. */
    public static final String ADMIN_URL = "kvsim.admin-url";
    /** The token its admin API asks for (the dev service's kvsim has a new one at each start); absent: none. */
    public static final String ADMIN_TOKEN = "kvsim.admin-token";
    /** The ID of the instance the dev service created. */
    public static final String INSTANCE_ID = "kvsim.instance-id";
    /** Its host (always 127.0.0.1). */
    public static final String INSTANCE_HOST = "kvsim.instance-host";
    /** Its RESP port. */
    public static final String INSTANCE_PORT = "kvsim.instance-port";
    /** Its password; empty (absent) for a password-free instance. */
    public static final String INSTANCE_PASSWORD = "kvsim.instance-password";

    private KvsimConfigKeys() {
    }
}
