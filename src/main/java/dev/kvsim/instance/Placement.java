package dev.kvsim.instance;

/**
 * Where an instance lives as the service describes it: its region and zones and its network. kvsim runs
 * every instance on this machine; the VPC and vSwitch IDs are labels it keeps and shows, nothing more.
 *
 * @param networkType {@link #VPC} or {@link #CLASSIC}
 */
public record Placement(String regionId, String zoneId, String secondaryZoneId, String networkType, String vpcId,
                        String vSwitchId) {

    public static final String VPC = "VPC";
    public static final String CLASSIC = "CLASSIC";
}
