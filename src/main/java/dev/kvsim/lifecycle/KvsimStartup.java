package dev.kvsim.lifecycle;

import dev.kvsim.instance.CreateInstanceRequest;
import dev.kvsim.instance.InstanceStatus;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.instance.StoredInstance;

import dev.kvsim.access.PasswordHash;
import dev.kvsim.core.ServiceError;

import dev.kvsim.engine.EngineLocator;
import dev.kvsim.engine.FreePorts;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
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

    public KvsimStartup(EngineLocator engines, InstanceStore store, InstanceService instances,
                        DefaultInstanceConfig defaults) {
        this.engines = engines;
        this.store = store;
        this.instances = instances;
        this.defaults = defaults;
    }

    /**
     * Runs after {@link dev.kvsim.engine.NodeManager} has reaped leftovers. While it runs, {@link StartupGate}
     * keeps the admin API answering 503, so that no call races the restore of the stored instances.
     *
     * @return the default instance as it is now, when there is one
     * @throws StartupFailure with the one line to print when kvsim cannot run
     */
    public Optional<StoredInstance> start() {
        try {
            engines.engine();
            List<StoredInstance> stored = store.all();
            Optional<StoredInstance> storedDefault = stored.stream().filter(StoredInstance::defaultInstance).findFirst()
                    .flatMap(this::reconcileDefault);
            store.all().parallelStream().forEach(this::restore);
            StoredInstance def = storedDefault.orElseGet(() -> defaults.enabled() ? createDefault() : null);
            return Optional.ofNullable(def).flatMap(d -> store.find(d.instanceId()));
        } catch (StartupFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StartupFailure(e.getMessage());
        } finally {
            StartupGate.open();
        }
    }

    private void restore(StoredInstance i) {
        if (i.status() == InstanceStatus.Released) {
            instances.finishDelete(i.instanceId());
            return;
        }
        try {
            instances.restore(i);
        } catch (InstanceProvisioner.PortTakenException e) {
            if (i.defaultInstance() && defaults.useFreePortIfTaken()) {
                int port = FreePorts.pick();
                Log.infof("port %d is in use: the default instance moves to port %d", i.port(), port);
                store.setPort(i.instanceId(), port);
                restore(store.find(i.instanceId()).orElseThrow());
            } else if (i.defaultInstance()) {
                throw portTaken(i.port());
            } else {
                Log.errorf("instance %s cannot come back: its port %d is in use", i.instanceId(), i.port());
                store.setStatus(i.instanceId(), InstanceStatus.Error);
            }
        } catch (RuntimeException e) {
            Log.errorf("instance %s cannot come back: %s", i.instanceId(), e.getMessage());
        }
    }

    /**
     * Brings the stored default instance in line with {@code kvsim.default-instance.*}: deleted when
     * disabled, recreated (empty) when its class or password changed, moved when only its port did.
     *
     * @return the default instance to restore, or empty when there is none now
     */
    private Optional<StoredInstance> reconcileDefault(StoredInstance d) {
        if (!defaults.enabled()) {
            Log.infof("the default instance is disabled: deleting %s", d.instanceId());
            instances.finishDelete(d.instanceId());
            return Optional.empty();
        }
        if (!d.instanceClass().equals(defaults.instanceClass())
                || !samePassword(d, defaults.password().orElse(null))) {
            Log.infof("the default instance's class or password changed: recreating %s", d.instanceId());
            instances.finishDelete(d.instanceId());
            return Optional.empty();
        }
        int wanted = defaults.port();
        if (wanted == 0 || d.port() == wanted) {
            return Optional.of(d);
        }
        if (FreePorts.isFree(wanted)) {
            Log.infof("the default instance moves from port %d to port %d", d.port(), wanted);
            store.setPort(d.instanceId(), wanted);
        } else if (defaults.useFreePortIfTaken()) {
            Log.infof("port %d is in use: the default instance stays on port %d", wanted, d.port());
        } else {
            throw portTaken(wanted);
        }
        return store.find(d.instanceId());
    }

    private static boolean samePassword(StoredInstance d, String configured) {
        return configured == null ? d.passwordHash() == null : PasswordHash.matches(d.passwordHash(), configured);
    }

    private static StartupFailure portTaken(int port) {
        return new StartupFailure("port " + port + " for the default instance is already in use; "
                + "stop what holds it, or set kvsim.default-instance.port (0 = any free port)");
    }

    private StoredInstance createDefault() {
        int port = defaults.port();
        if (port != 0 && !FreePorts.isFree(port)) {
            if (!defaults.useFreePortIfTaken()) {
                throw portTaken(port);
            }
            Log.infof("port %d is in use: the default instance takes a free port", port);
            port = 0;
        }
        CreateInstanceRequest req = CreateInstanceRequest.basic("default", defaults.instanceClass(),
                defaults.password().orElse(null), port);
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
