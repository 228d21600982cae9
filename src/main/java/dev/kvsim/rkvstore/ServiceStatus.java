package dev.kvsim.rkvstore;

import dev.kvsim.instance.InstanceStatus;

/**
 * kvsim's instance statuses as the service API shows them: Rebooting and HASwitching are Changing there (the
 * service runs restarts and switchovers as changes), Error is Unavailable. The admin API keeps kvsim's names.
 */
public final class ServiceStatus {

    private ServiceStatus() {
    }

    public static String of(InstanceStatus status) {
        return switch (status) {
            case Rebooting, HASwitching -> "Changing";
            case Error -> "Unavailable";
            default -> status.name();
        };
    }
}
