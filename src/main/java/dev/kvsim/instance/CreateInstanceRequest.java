package dev.kvsim.instance;

/** {@code POST /api/v1/instances}: only {@code instanceClass} is required. */
public record CreateInstanceRequest(String name, String instanceClass, String password, Integer port,
                                   String vpcAuthMode, Overrides overrides) {
}
