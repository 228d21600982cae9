package dev.kvsim.client;

/** The service's switchover types. */
public enum SwitchType {
    /** Switch at once; writes the replica has not received are lost. */
    AVAILABLE_PRIORITY("AvailablePriority"),
    /** Switch once the replica has every write (the engine's FAILOVER); refused when it lags. */
    RELIABILITY_PRIORITY("ReliabilityPriority");

    private final String apiName;

    SwitchType(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }
}
