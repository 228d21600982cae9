package dev.kvsim.rkvstore.actions;

import dev.kvsim.backup.CloneService;
import dev.kvsim.core.ServiceError;
import dev.kvsim.instance.CloneSource;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kvsim.access.AccountService;
import dev.kvsim.catalog.Catalog;
import dev.kvsim.catalog.InstanceClass;
import dev.kvsim.catalog.Regions;
import dev.kvsim.instance.CreateInstanceRequest;
import dev.kvsim.instance.InstanceAttributes;
import dev.kvsim.instance.InstanceLimits;
import dev.kvsim.lifecycle.InstanceService;
import dev.kvsim.lifecycle.MajorVersions;
import dev.kvsim.instance.Overrides;
import dev.kvsim.instance.Placement;
import dev.kvsim.instance.StoredInstance;
import dev.kvsim.rkvstore.ActionTable;
import dev.kvsim.rkvstore.RpcActions;
import dev.kvsim.rkvstore.RpcErrors;
import dev.kvsim.rkvstore.RpcRequest;
import dev.kvsim.rkvstore.ServiceStatus;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Instances: CreateInstance, DescribeInstances, DescribeInstanceAttribute, DescribeDBInstanceNetInfo,
 * ModifyInstanceAttribute, ModifyInstanceVpcAuthMode, DeleteInstance, RestartInstance, FlushInstance,
 * FlushInstanceForDB.
 */
@ApplicationScoped
public class InstanceActions implements RpcActions {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<String> NODE_TYPES = List.of("MASTER_SLAVE", "STAND_ALONE", "double", "single");

    private final InstanceService instances;
    private final InstanceAttributes attributes;
    private final AccountService accounts;
    private final Catalog catalog;
    private final Regions regions;
    private final MajorVersions versions;
    private final InstanceDescriptions descriptions;
    private final CloneService clones;

    public InstanceActions(InstanceService instances, InstanceAttributes attributes, AccountService accounts,
                           Catalog catalog, Regions regions, MajorVersions versions, InstanceDescriptions descriptions,
                           CloneService clones) {
        this.clones = clones;
        this.instances = instances;
        this.attributes = attributes;
        this.accounts = accounts;
        this.catalog = catalog;
        this.regions = regions;
        this.versions = versions;
        this.descriptions = descriptions;
    }

    @Override
    public void register(ActionTable table) {
        table.add("CreateInstance", this::create);
        table.add("DescribeInstances", this::describeInstances);
        table.add("DescribeInstanceAttribute", this::describeAttribute);
        table.add("DescribeDBInstanceNetInfo", this::netInfo);
        table.add("ModifyInstanceAttribute", this::modifyAttribute);
        table.add("ModifyInstanceVpcAuthMode", this::modifyVpcAuthMode);
        table.add("DeleteInstance", this::delete);
        table.add("RestartInstance", this::restart);
        table.add("FlushInstance", this::flush);
        table.add("FlushInstanceForDB", this::flushDb);
    }

    public record Created(String instanceId, String instanceName, String instanceStatus, String connectionDomain,
                          Integer port, Long capacity, Long bandwidth, Long connections, @JsonProperty("QPS") Long qps,
                          String config, String chargeType, String networkType, String nodeType, String regionId,
                          String zoneId, String vpcId, String vSwitchId, String privateIpAddr, String userName,
                          Long orderId) {
    }

    private Created create(RpcRequest r) {
        String regionId = r.required("RegionId");
        if ("PrePaid".equals(r.oneOf("ChargeType", InstanceDescriptions.POST_PAID, List.of("PostPaid", "PrePaid")))) {
            throw RpcErrors.invalid("ChargeType", "kvsim's instances are pay-as-you-go: use PostPaid.");
        }
        if ("Memcache".equals(r.oneOf("InstanceType", InstanceDescriptions.ENGINE, List.of("Redis", "Memcache")))) {
            throw RpcErrors.invalid("InstanceType", "kvsim emulates Redis instances only.");
        }
        CloneSource source = cloneSource(r);
        InstanceClass c = source != null && r.string("InstanceClass") == null && r.string("Capacity") == null ? null
                : instanceClass(r);
        Integer shardCount = r.integer("ShardCount");
        if (c != null && !c.isCluster() && shardCount != null && shardCount != 1) {
            throw RpcErrors.invalid("ShardCount", "the standard class " + c.name() + " has 1 shard; got " + shardCount + ".");
        }
        Overrides overrides = (c == null || c.isCluster()) && shardCount != null
                ? new Overrides(null, null, null, shardCount, null) : null;
        CreateInstanceRequest req = new CreateInstanceRequest(r.string("InstanceName"), c == null ? null : c.name(),
                r.string("Password"),
                r.integer("Port"), null, overrides, regionId, r.string("ZoneId"), r.string("SecondaryZoneId"),
                r.oneOf("NetworkType", null, List.of(Placement.VPC, Placement.CLASSIC)), r.string("VpcId"),
                r.string("VSwitchId"), r.string("EngineVersion"), r.tags("Tag"), r.string("Token"), source);
        if (Boolean.TRUE.equals(r.bool("DryRun"))) {
            instances.check(req);
            throw new ServiceError(400, "DryRunOperation", "Request validation has been passed with DryRun flag set.");
        }
        // with a known Token: the instance it made
        StoredInstance i = source == null ? instances.create(req, false, false)
                : clones.create(req, r.instant("RestoreTime"), false);
        InstanceClass made = catalog.find(i.instanceClass()).orElseThrow();
        InstanceLimits limits = InstanceLimits.of(made, i.overrides());
        Placement p = i.placement();
        return new Created(i.instanceId(), i.name(), ServiceStatus.of(i.status()), descriptions.connectionDomain(),
                i.port(), limits.memoryMb(), (long) limits.bandwidthMBps(), (long) limits.maxConnections(),
                (long) limits.qps(), descriptions.config(i.instanceId()), InstanceDescriptions.POST_PAID,
                p.networkType(), made.isDualReplica() ? "MASTER_SLAVE" : "STAND_ALONE", p.regionId(), p.zoneId(), p.vpcId(),
                p.vSwitchId(), InstanceDescriptions.LOCAL_IP, i.instanceId(),
                100_000_000_000_000L + (long) (RANDOM.nextDouble() * 900_000_000_000_000L));
    }

    /**
     * SrcDBInstanceId with BackupId (one backup of the source; any shard's of a cluster job) or RestoreTime: the new
     * instance is a clone. Without InstanceClass or Capacity it takes the source's class.
     */
    private static CloneSource cloneSource(RpcRequest r) {
        String src = r.string("SrcDBInstanceId");
        if (src == null) {
            for (String p : List.of("BackupId", "RestoreTime")) {
                if (r.string(p) != null) {
                    throw RpcErrors.missing("SrcDBInstanceId");
                }
            }
            return null;
        }
        r.instant("RestoreTime");  // checked here, read by the clone
        if ((r.string("BackupId") == null) == (r.string("RestoreTime") == null)) {
            throw RpcErrors.invalid("SrcDBInstanceId", "a clone takes one of BackupId and RestoreTime.");
        }
        Long backupId = r.string("BackupId") == null ? null : BackupActions.backupId(r.string("BackupId"));
        return new CloneSource(src, backupId, r.string("RestoreTime"));
    }

    /** InstanceClass, or the standard class of Capacity (MB) and NodeType. */
    private InstanceClass instanceClass(RpcRequest r) {
        String nodeType = r.oneOf("NodeType", null, NODE_TYPES);
        String wanted = nodeType == null ? null
                : nodeType.equals("MASTER_SLAVE") || nodeType.equals("double") ? InstanceClass.DOUBLE : InstanceClass.SINGLE;
        String name = r.string("InstanceClass");
        if (name == null) {
            Long capacity = r.longValue("Capacity");
            if (capacity == null) {
                throw RpcErrors.missing("InstanceClass");
            }
            String type = wanted == null ? InstanceClass.DOUBLE : wanted;
            return catalog.standardByCapacity(capacity, type).orElseThrow(() -> RpcErrors.invalid("Capacity",
                    "no standard " + type + "-replica class has " + capacity + " MB; DescribeAvailableResource lists them."));
        }
        InstanceClass c = catalog.find(name).orElseThrow(() -> new ServiceError(400, "InvalidInstanceClass.NotFound",
                "The instance class '" + name + "' does not exist; DescribeAvailableResource lists the classes."));
        if (wanted != null && !wanted.equals(c.nodeType())) {
            throw RpcErrors.invalid("NodeType", "the class " + name + " is " + c.nodeType() + "-replica; got " + nodeType + ".");
        }
        return c;
    }

    public record KvStoreInstances(@JsonProperty("KVStoreInstance") List<InstanceDescriptions.Description> kvStoreInstance) {
    }

    public record InstancePage(KvStoreInstances instances, Integer pageNumber, Integer pageSize, Integer totalCount) {
    }

    private InstancePage describeInstances(RpcRequest r) {
        int pageNumber = r.integer("PageNumber", 1, 1, Integer.MAX_VALUE);
        int pageSize = r.integer("PageSize", 30, 1, 50);
        String regionId = r.string("RegionId");
        if (regionId != null) {
            regions.require(regionId);
        }
        List<String> ids = r.commaList("InstanceIds");
        if (ids.size() > 30) {
            throw RpcErrors.invalid("InstanceIds", "at most 30 instance IDs; got " + ids.size() + ".");
        }
        Map<String, String> tags = r.tags("Tag");
        String search = r.string("SearchKey");
        Predicate<StoredInstance> match = i -> (regionId == null || regionId.equals(i.placement().regionId()))
                && (ids.isEmpty() || ids.contains(i.instanceId()))
                && equalsIfGiven(r.string("ZoneId"), i.placement().zoneId())
                && equalsIfGiven(r.string("NetworkType"), i.placement().networkType())
                && equalsIfGiven(r.string("VpcId"), i.placement().vpcId())
                && equalsIfGiven(r.string("VSwitchId"), i.placement().vSwitchId())
                && equalsIfGiven(r.string("InstanceStatus"), ServiceStatus.of(i.status()))
                && equalsIfGiven(r.string("InstanceClass"), i.instanceClass())
                && equalsIfGiven(r.string("EngineVersion"), versions.of(i).label())
                && equalsIfGiven(r.string("ChargeType"), InstanceDescriptions.POST_PAID)
                && equalsIfGiven(r.string("InstanceType"), InstanceDescriptions.ENGINE)
                && equalsIfGiven(r.string("ArchitectureType"),
                        catalog.find(i.instanceClass()).map(InstanceClass::architecture).orElse(null))
                && (search == null || i.instanceId().contains(search) || i.name().contains(search))
                && tags.entrySet().stream().allMatch(t -> i.tags().containsKey(t.getKey())
                        && (t.getValue().isEmpty() || t.getValue().equals(i.tags().get(t.getKey()))));
        List<StoredInstance> all = instances.list().stream().filter(match).toList();
        List<InstanceDescriptions.Description> page = all.stream().skip((long) (pageNumber - 1) * pageSize).limit(pageSize)
                .map(descriptions::describe).toList();
        return new InstancePage(new KvStoreInstances(page), pageNumber, pageSize, all.size());
    }

    private static boolean equalsIfGiven(String wanted, String actual) {
        return wanted == null || wanted.equals(actual);
    }

    public record DbInstanceAttributes(
            @JsonProperty("DBInstanceAttribute") List<InstanceDescriptions.Description> dbInstanceAttribute) {
    }

    public record Attributes(DbInstanceAttributes instances) {
    }

    private Attributes describeAttribute(RpcRequest r) {
        return new Attributes(new DbInstanceAttributes(List.of(descriptions.describe(instances.get(r.instanceId())))));
    }

    /** One row of DescribeDBInstanceNetInfo: Port is a string there. */
    public record NetInfo(String connectionString, @JsonProperty("IPAddress") String ipAddress,
                          @JsonProperty("IPType") String ipType, String port,
                          @JsonProperty("DBInstanceNetType") String dbInstanceNetType,
                          @JsonProperty("VPCId") String vpcId, String vSwitchId,
                          @JsonProperty("VPCInstanceId") String vpcInstanceId, String upgradeable,
                          Integer directConnection) {
    }

    public record NetInfoItems(List<NetInfo> instanceNetInfo) {
    }

    public record NetInfoAnswer(String instanceNetworkType, NetInfoItems netInfoItems) {
    }

    /** The one private endpoint: "2" on a VPC (Terraform reads its port), "1" on the classic network. */
    private NetInfoAnswer netInfo(RpcRequest r) {
        StoredInstance i = instances.get(r.instanceId());
        Placement p = i.placement();
        boolean vpc = Placement.VPC.equals(p.networkType());
        NetInfo row = new NetInfo(descriptions.connectionDomain(), InstanceDescriptions.LOCAL_IP,
                vpc ? "Private" : "Inner", Integer.toString(i.port()), vpc ? "2" : "1", p.vpcId(), p.vSwitchId(),
                vpc ? i.instanceId() : null, "0", 0);
        return new NetInfoAnswer(p.networkType(), new NetInfoItems(List.of(row)));
    }

    private Object modifyAttribute(RpcRequest r) {
        String id = r.instanceId();
        instances.get(id);
        String name = r.string("InstanceName");
        String password = r.string("NewPassword");
        Boolean protection = r.bool("InstanceReleaseProtection");
        if (name != null) {
            attributes.rename(id, name);
        }
        if (password != null) {
            accounts.resetPassword(id, id, password);
        }
        if (protection != null) {
            attributes.setReleaseProtection(id, protection);
        }
        return null;
    }

    private Object modifyVpcAuthMode(RpcRequest r) {
        attributes.setVpcAuthMode(r.instanceId(), r.required("VpcAuthMode"));
        return null;
    }

    private Object delete(RpcRequest r) {
        instances.delete(r.instanceId());
        return null;
    }

    public record Restarted(String instanceId) {
    }

    private Restarted restart(RpcRequest r) {
        String id = r.instanceId();
        if ("MaintainTime".equals(r.oneOf("EffectiveTime", "Immediately", List.of("Immediately", "MaintainTime")))) {
            throw RpcErrors.invalid("EffectiveTime", "kvsim restarts immediately only; MaintainTime is not supported yet.");
        }
        r.bool("UpgradeMinorVersion");  // checked; the engine kvsim runs is the only minor version there is
        instances.restart(id, false);
        return new Restarted(id);
    }

    private Object flush(RpcRequest r) {
        instances.flush(r.instanceId(), null);
        return null;
    }

    private Object flushDb(RpcRequest r) {
        String id = r.instanceId();
        Integer db = r.integer("DbIndex");
        if (db == null) {
            throw RpcErrors.missing("DbIndex");
        }
        instances.flush(id, db);
        return null;
    }
}
