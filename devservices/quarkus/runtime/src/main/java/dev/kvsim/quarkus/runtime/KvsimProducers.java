package dev.kvsim.quarkus.runtime;

import java.net.URI;
import java.util.Optional;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import dev.kvsim.client.KvsimAdmin;
import dev.kvsim.client.Endpoint;
import io.quarkus.arc.DefaultBean;

/**
 * CDI beans for the kvsim that the dev service started: {@code @Inject KvsimAdmin admin;} and
 * {@code @Inject Endpoint instance;}. Both are created on first use from the config keys in
 * {@link KvsimConfigKeys}; without them (prod, dev service disabled, {@code quarkus.redis.hosts} set) injecting
 * them fails with an {@link IllegalStateException} that says why. An application can set
 * {@code kvsim.admin-url} and {@code kvsim.instance-id} itself to point them at a kvsim it runs, or declare its
 * own bean of either type (these are {@link DefaultBean}s).
 */
@Singleton
public class KvsimProducers {

    @Produces
    @Singleton
    @DefaultBean
    KvsimAdmin kvsimAdmin() {
        String token = ConfigProvider.getConfig().getOptionalValue(KvsimConfigKeys.ADMIN_TOKEN, String.class).orElse(null);
        return KvsimAdmin.connect(URI.create(require(KvsimConfigKeys.ADMIN_URL)), token);
    }

    @Produces
    @Singleton
    @DefaultBean
    Endpoint kvsimInstance() {
        Config config = ConfigProvider.getConfig();
        String id = require(KvsimConfigKeys.INSTANCE_ID);
        String host = config.getOptionalValue(KvsimConfigKeys.INSTANCE_HOST, String.class).orElse("127.0.0.1");
        int port = config.getOptionalValue(KvsimConfigKeys.INSTANCE_PORT, Integer.class)
                .orElseThrow(() -> missing(KvsimConfigKeys.INSTANCE_PORT));
        String password = config.getOptionalValue(KvsimConfigKeys.INSTANCE_PASSWORD, String.class)
                .filter(p -> !p.isEmpty()).orElse(null);
        return new Endpoint(id, host, port, password);
    }

    private static String require(String key) {
        Optional<String> value = ConfigProvider.getConfig().getOptionalValue(key, String.class);
        return value.filter(v -> !v.isBlank()).orElseThrow(() -> missing(key));
    }

    private static IllegalStateException missing(String key) {
        return new IllegalStateException("No kvsim to inject: '" + key + "' is not set. The kvsim dev service sets it "
                + "in dev and test mode when the application uses quarkus-redis-client, quarkus.redis.hosts is not set "
                + "and quarkus.kvsim.devservices.enabled is not false.");
    }
}
