package dev.kvsim.instance;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Each instance's maintenance window: its own ({@code ModifyInstanceMaintainTime}), else
 * {@code kvsim.maintenance-window.default}. What waits for the window (a switchover, an engine
 * upgrade) asks here.
 */
@ApplicationScoped
public class MaintenanceWindows {

    private final InstanceStore store;
    private final MaintenanceWindow defaultWindow;

    public MaintenanceWindows(InstanceStore store,
                              @ConfigProperty(name = "kvsim.maintenance-window.default", defaultValue = "02:00Z-03:00Z")
                              String defaultWindow) {
        this.store = store;
        String[] w = defaultWindow.split("-");
        this.defaultWindow = MaintenanceWindow.parse(w[0], w.length > 1 ? w[1] : "");
    }

    /** @throws dev.kvsim.core.ServiceError 404 for an unknown instance */
    public MaintenanceWindow of(String instanceId) {
        MaintenanceWindow w = store.maintenanceWindow(instanceId);
        return w == null ? defaultWindow : w;
    }
}
