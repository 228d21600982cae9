package dev.kvsim.sla;

/**
 * Why a minute was unavailable: {@code kind} is {@code fault}, {@code failover},
 * {@code customer-operation}, {@code maintenance} or {@code unknown}; {@code detail} names it
 * (a fault ID and type, an event); excluded minutes do not count against the agreement.
 */
public record Cause(String kind, String detail, boolean excluded) {

    public static final Cause UNKNOWN = new Cause("unknown", "no fault, HA event or operation at that time", false);
}
