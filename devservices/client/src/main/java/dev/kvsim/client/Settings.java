package dev.kvsim.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** The records of an instance's settings: security IP groups, accounts and parameters. */
public final class Settings {

    private Settings() {
    }

    /** A whitelist group: IPs or CIDRs admitted to the instance. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SecurityIpGroup(String name, List<String> ips) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Account(String accountName, String accountPrivilege, String accountType) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Parameter(String name, String value, @JsonProperty("default") String defaultValue,
                            boolean modifiable, String description, String allowedValues) {
    }

    /** How {@code PUT …/security-ips/{group}} changes a group. */
    public enum IpMode { Cover, Append, Delete }

    /** Account privileges of the service. */
    public enum Privilege { RoleReadOnly, RoleReadWrite }
}
