package dev.kvsim.instance;

import java.util.Map;

/**
 * A new instance: {@code POST /api/v1/instances}'s body, and what CreateInstance asks for. Only
 * {@code instanceClass} is required; a null placement field takes the default region's, a null
 * {@code majorVersion} the engine's own.
 *
 * @param clientToken idempotency: a second create with the token of an existing instance answers that instance
 */
public record CreateInstanceRequest(String name, String instanceClass, String password, Integer port,
                                    String vpcAuthMode, Overrides overrides, String regionId, String zoneId,
                                    String secondaryZoneId, String networkType, String vpcId, String vSwitchId,
                                    String majorVersion, Map<String, String> tags, String clientToken) {

    /** Only a class, a name, a password and a port (the default instance). */
    public static CreateInstanceRequest basic(String name, String instanceClass, String password, Integer port) {
        return new CreateInstanceRequest(name, instanceClass, password, port, null, null, null, null, null, null, null,
                null, null, null, null);
    }
}
