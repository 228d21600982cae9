package dev.kvsim.instance;

import dev.kvsim.engine.EngineLocator;
import dev.kvsim.engine.FreePorts;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What kvsim does when it starts: reap nodes a killed kvsim left, bring every stored instance back
 * on its port, and make sure the default instance exists as configured.
 */
@ApplicationScoped
public class KvsimStartup {

    private final EngineLocator engines;
    private final InstanceStore store;
    private final InstanceService instances;
    private final DefaultInstanceConfig defaults;
    private final int httpPort;

    public KvsimStartup(EngineLocator engines, InstanceStore store, InstanceService instances,
                        DefaultInstanceConfig defaults, @ConfigProperty(name = "quarkus.http.port") int httpPort) {
        this.engines = engines;
        this.store = store;
        this.instances = instances;
        this.defaults = defaults;
        this.httpPort = httpPort;
    }

    /** Runs after {@link dev.kvsim.engine.NodeManager} has reaped leftovers (at StartupEvent). @throws StartupFailure with the one line to print when kvsim cannot run */
    public void start() {
        engines.engine();
        List<StoredInstance> stored = store.all();
        Optional<StoredInstance> storedDefault = stored.stream().filter(StoredInstance::defaultInstance).findFirst();
        if (storedDefault.isPresent() && !matchesConfig(storedDefault.get())) {
            Log.infof("the default instance's configuration changed: recreating %s", storedDefault.get().instanceId());
            store.delete(storedDefault.get().instanceId());
            stored = store.all();
            storedDefault = Optional.empty();
        }
        stored.parallelStream().forEach(this::restore);
        stored = store.all();
        StoredInstance def = storedDefault.orElseGet(() -> defaults.enabled() ? createDefault() : null);
        String line = "kvsim ready: admin API http://127.0.0.1:" + httpPort;
        if (def != null) {
            StoredInstance now = store.find(def.instanceId()).orElse(def);
            line += ", default instance " + now.instanceId() + " (" + now.instanceClass() + ") redis://127.0.0.1:" + now.port();
        }
        Log.info(line);
    }

    private void restore(StoredInstance i) {
        if (i.status() == InstanceStatus.Released) {
            instances.finishDelete(i.instanceId());
            return;
        }
        try {
            instances.restore(i);
        } catch (InstanceProvisioner.PortTakenException e) {
            if (i.defaultInstance()) {
                throw new StartupFailure("port " + i.port() + " for the default instance is already in use; "
                        + "stop what holds it, or set kvsim.default-instance.port (0 = any free port)");
            }
            Log.errorf("instance %s cannot come back: its port %d is in use", i.instanceId(), i.port());
            store.setStatus(i.instanceId(), InstanceStatus.Error);
        } catch (RuntimeException e) {
            Log.errorf("instance %s cannot come back: %s", i.instanceId(), e.getMessage());
        }
    }

    private boolean matchesConfig(StoredInstance i) {
        return defaults.enabled()
                && i.instanceClass().equals(defaults.instanceClass())
                && (defaults.port() == 0 || i.port() == defaults.port())
                && Objects.equals(i.password(), defaults.password().orElse(null));
    }

    private StoredInstance createDefault() {
        int port = defaults.port();
        if (port != 0 && !FreePorts.isFree(port)) {
            if (!defaults.useFreePortIfTaken()) {
                throw new StartupFailure("port " + port + " for the default instance is already in use; "
                        + "stop what holds it, or set kvsim.default-instance.port (0 = any free port)");
            }
            Log.infof("port %d is in use: the default instance takes a free port", port);
            port = 0;
        }
        CreateInstanceRequest req = new CreateInstanceRequest("default", defaults.instanceClass(),
                defaults.password().orElse(null), port, null, null);
        try {
            return instances.create(req, true, true);
        } catch (ServiceError e) {
            throw new StartupFailure("the default instance cannot be created: " + e.getMessage());
        }
    }

    /** kvsim cannot start; the message is the one line the user sees. */
    public static final class StartupFailure extends RuntimeException {
        public StartupFailure(String message) {
            super(message, null, false, false);
        }
    }
}
