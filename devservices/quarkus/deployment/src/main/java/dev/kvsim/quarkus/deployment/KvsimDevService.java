package dev.kvsim.quarkus.deployment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

import org.jboss.logging.Logger;

import dev.kvsim.client.CreateInstance;
import dev.kvsim.client.Instance;
import dev.kvsim.client.KvsimServer;
import io.quarkus.deployment.builditem.Startable;

/**
 * kvsim as a Quarkus dev service: {@link #start()} launches kvsim as its own process (no Docker) and creates one
 * instance in it; {@link #close()} stops kvsim and every node, and deletes kvsim's temporary data directory.
 * Quarkus's dev services registry calls both.
 */
final class KvsimDevService implements Startable {

    private static final Logger log = Logger.getLogger(KvsimDevService.class);

    /** What the dev service was configured with; a record so that it prints and compares by value. */
    record Settings(String instanceClass, String password, String profile, OptionalInt shardCount, OptionalInt port,
            String artifact, Duration startTimeout, Map<String, String> properties) {

        static Settings of(KvsimDevServicesConfig config) {
            return new Settings(config.instanceClass(), config.password().filter(p -> !p.isEmpty()).orElse(null),
                    config.profile(), config.shardCount(), config.port(), config.artifact().orElse(null),
                    config.startTimeout(), Map.copyOf(config.properties()));
        }

        /** The identity Quarkus compares across live reloads and test profiles: a new value restarts kvsim. */
        String identity() {
            // a String compares equal across class loaders, unlike this record
            return "instanceClass=" + instanceClass + ";password=" + Objects.hashCode(password) + ";profile=" + profile
                    + ";shardCount=" + shardCount + ";port=" + port + ";artifact=" + artifact + ";startTimeout="
                    + startTimeout + ";properties=" + new java.util.TreeMap<>(properties);
        }
    }

    private final Settings settings;
    private volatile KvsimServer server;
    private volatile Instance instance;

    KvsimDevService(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void start() {
        KvsimServer.Builder builder = KvsimServer.builder()
                .haProfile(settings.profile())
                .startTimeout(settings.startTimeout());
        if (settings.artifact() != null) {
            builder.artifact(Path.of(settings.artifact()));
        }
        settings.properties().forEach(builder::property);
        KvsimServer started = builder.start();
        try {
            CreateInstance spec = CreateInstance.of(settings.instanceClass()).name("quarkus-dev-services");
            if (settings.password() != null) {
                spec.password(settings.password());
            }
            settings.port().ifPresent(spec::port);
            settings.shardCount().ifPresent(spec::shardCount);
            instance = started.admin().createInstance(spec);  // answers once the instance is Normal
            server = started;
        } catch (RuntimeException | Error e) {
            log.errorf("kvsim started but its instance (%s) could not be created; kvsim's log: %s",
                    settings.instanceClass(), started.logFile());
            started.close();
            throw e;
        }
    }

    Instance instance() {
        return instance;
    }

    KvsimServer server() {
        return server;
    }

    /** {@code redis://[:password@]127.0.0.1:port}. */
    String redisUri() {
        return instance.endpoint(settings.password()).redisUri();
    }

    boolean isCluster() {
        return "cluster".equalsIgnoreCase(instance.architecture());
    }

    /**
     * Whether the instance's proxy speaks RESP3: always for a standard instance, for a cluster per its
     * {@code proxy_resp3_enable} parameter (default on, as the service's current proxy minor versions).
     */
    boolean speaksResp3() {
        return !isCluster() || server.admin().parameters(instance.instanceId()).stream()
                .anyMatch(p -> p.name().equals("proxy_resp3_enable") && p.value().equals("1"));
    }

    String password() {
        return settings.password() == null ? "" : settings.password();
    }

    @Override
    public String getConnectionInfo() {
        return instance == null ? null : instance.host() + ":" + instance.port();
    }

    @Override
    public String getContainerId() {
        return null; // a process, not a container
    }

    @Override
    public void close() {
        KvsimServer s = server;
        server = null;
        if (s != null) {
            log.debugf("Stopping kvsim (pid %d)", s.pid());
            s.close();
        }
    }
}
