package dev.kvsim.access;

import java.util.List;

/** One whitelist group: IPv4 addresses and CIDR blocks admitted to the instance's port. */
public record SecurityIpGroup(String name, List<String> ips) {

    public static final String DEFAULT_GROUP = "default";

    /** What an instance has until its whitelist is changed: the service's default group. */
    public static List<SecurityIpGroup> defaults() {
        return List.of(new SecurityIpGroup(DEFAULT_GROUP, List.of("127.0.0.1")));
    }
}
