package dev.kvsim.rkvstore.actions;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kvsim.access.SecurityIpGroup;
import dev.kvsim.access.SecurityIpService;
import dev.kvsim.catalog.Catalog;
import dev.kvsim.catalog.InstanceClass;
import dev.kvsim.ha.SwitchoverService;
import dev.kvsim.instance.InstanceLimits;
import dev.kvsim.lifecycle.InstanceService;
import dev.kvsim.lifecycle.MajorVersions;
import dev.kvsim.instance.InstanceStatus;
import dev.kvsim.instance.MaintenanceWindow;
import dev.kvsim.instance.StoredInstance;
import dev.kvsim.params.ParameterService;
import dev.kvsim.rkvstore.RkvstoreApiConfig;
import dev.kvsim.rkvstore.ServiceStatus;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An instance as DescribeInstanceAttribute and DescribeInstances show it, with the SDK models' names and types,
 * from the same services the admin API reads.
 */
@ApplicationScoped
public class InstanceDescriptions {

    static final String ENGINE = "Redis";
    static final String POST_PAID = "PostPaid";
    static final String LOCAL_IP = "127.0.0.1";

    private final Catalog catalog;
    private final InstanceService instances;
    private final MajorVersions versions;
    private final SecurityIpService securityIps;
    private final ParameterService parameters;
    private final SwitchoverService switchovers;
    private final String connectionDomain;
    private final ObjectMapper json;

    public InstanceDescriptions(Catalog catalog, InstanceService instances, SecurityIpService securityIps,
                                ParameterService parameters, SwitchoverService switchovers, RkvstoreApiConfig config,
                                ObjectMapper json, MajorVersions versions) {
        this.versions = versions;
        this.catalog = catalog;
        this.instances = instances;
        this.securityIps = securityIps;
        this.parameters = parameters;
        this.switchovers = switchovers;
        this.connectionDomain = config.connectionDomain();
        this.json = json;
    }

    /** {@code Tags.Tag[]}. */
    public record Tags(List<Tag> tag) {
        static Tags of(Map<String, String> tags) {
            return new Tags(tags.entrySet().stream().map(e -> new Tag(e.getKey(), e.getValue())).toList());
        }
    }

    public record Tag(String key, String value) {
    }

    /** {@code Instances.DBInstanceAttribute[]} and {@code Instances.KVStoreInstance[]} elements. */
    public record Description(String instanceId, String instanceName, String instanceStatus, String instanceClass,
                              String realInstanceClass, Long capacity, Long bandwidth, Long connections,
                              @JsonProperty("QPS") Long qps, Long port, String connectionDomain, String privateIp,
                              String engine, String engineVersion, String instanceType, String architectureType,
                              String nodeType, String chargeType, String networkType, String regionId, String zoneId,
                              String secondaryZoneId, String vpcId, String vSwitchId, String vpcAuthMode,
                              String config, String maintainStartTime, String maintainEndTime, String createTime,
                              Boolean instanceReleaseProtection, Boolean isOrderCompleted,
                              @JsonProperty("IsSupportTDE") Boolean isSupportTde, Boolean isRds, Integer shardCount,
                              String userName, String editionType, String cloudType,
                              @JsonProperty("SecurityIPList") String securityIpList, Tags tags) {
    }

    public Description describe(StoredInstance i) {
        Optional<InstanceClass> c = catalog.find(i.instanceClass());
        Optional<InstanceLimits> limits = c.map(k -> InstanceLimits.of(k, i.overrides()));
        MaintenanceWindow window = switchovers.windowOf(i.instanceId());
        return new Description(i.instanceId(), i.name(), ServiceStatus.of(i.status()), i.instanceClass(),
                i.instanceClass(), limits.map(InstanceLimits::memoryMb).orElse(null),
                limits.map(l -> (long) l.bandwidthMBps()).orElse(null),
                limits.map(l -> (long) l.maxConnections()).orElse(null),
                limits.map(l -> (long) l.qps()).orElse(null), (long) i.port(), connectionDomain, LOCAL_IP,
                ENGINE, versions.of(i).label(), ENGINE, c.map(InstanceClass::architecture).orElse(null),
                c.map(InstanceClass::nodeType).orElse(null), POST_PAID, i.placement().networkType(),
                i.placement().regionId(), i.placement().zoneId(), i.placement().secondaryZoneId(),
                i.placement().vpcId(), i.placement().vSwitchId(), i.vpcAuthMode(), config(i.instanceId()),
                window.startText(), window.endText(), time(i.createdAt()), i.releaseProtection(),
                i.status() != InstanceStatus.Creating, false, true, i.isCluster() ? i.shardCount() : null,
                i.instanceId(), "Community", "public", securityIpList(i.instanceId()), Tags.of(i.tags()));
    }

    /** The instance's parameters as a JSON object in a string, as the service's Config. */
    public String config(String instanceId) {
        try {
            return json.writeValueAsString(parameters.values(instanceId));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every whitelist entry of every group, comma-separated. */
    private String securityIpList(String instanceId) {
        Set<String> all = new LinkedHashSet<>();
        securityIps.list(instanceId).stream().map(SecurityIpGroup::ips).forEach(all::addAll);
        return String.join(",", all);
    }

    /** The service's time format: {@code 2026-12-07T18:59:34Z}. */
    static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** The engine major version of the instance, as EngineVersion shows it. */
    public String majorVersion(String instanceId) {
        return versions.of(instances.get(instanceId)).label();
    }

    public String connectionDomain() {
        return connectionDomain;
    }
}
