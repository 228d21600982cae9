package dev.kvsim.instance;

import java.util.Map;

/**
 * A new instance: {@code POST /api/v1/instances}'s body, and what CreateInstance asks for. Only
 * {@code instanceClass} is required; a null placement field takes the default region's, a null
 * {@code majorVersion} the engine's own.
 *
 * @param clientToken idempotency: a second create with the token of an existing instance answers that instance
 * @param source      a clone's data: a backup or a point in time of another instance; null for an empty instance
 */
public record CreateInstanceRequest(String name, String instanceClass, String password, Integer port,
                                    String vpcAuthMode, Overrides overrides, String regionId, String zoneId,
                                    String secondaryZoneId, String networkType, String vpcId, String vSwitchId,
                                    String majorVersion, Map<String, String> tags, String clientToken,
                                    CloneSource source) {

    /** Only a class, a name, a password and a port (the default instance). */
    public static CreateInstanceRequest basic(String name, String instanceClass, String password, Integer port) {
        return new CreateInstanceRequest(name, instanceClass, password, port, null, null, null, null, null, null, null,
                null, null, null, null, null);
    }

    /** The same request without its clone source: what the new instance itself is. */
    public CreateInstanceRequest withoutSource() {
        return new CreateInstanceRequest(name, instanceClass, password, port, vpcAuthMode, overrides, regionId, zoneId,
                secondaryZoneId, networkType, vpcId, vSwitchId, majorVersion, tags, clientToken, null);
    }

    /** The same request with other overrides. */
    public CreateInstanceRequest withOverrides(Overrides newOverrides) {
        return new CreateInstanceRequest(name, instanceClass, password, port, vpcAuthMode, newOverrides, regionId, zoneId,
                secondaryZoneId, networkType, vpcId, vSwitchId, majorVersion, tags, clientToken, source);
    }

    /** The same request for another class (a clone takes its source's class when none is given). */
    public CreateInstanceRequest withInstanceClass(String className) {
        return new CreateInstanceRequest(name, className, password, port, vpcAuthMode, overrides, regionId, zoneId,
                secondaryZoneId, networkType, vpcId, vSwitchId, majorVersion, tags, clientToken, source);
    }
}
