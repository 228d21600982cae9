package dev.kvsim.lifecycle;

import dev.kvsim.access.PasswordHash;
import dev.kvsim.catalog.Catalog;
import dev.kvsim.catalog.InstanceClass;
import dev.kvsim.catalog.Regions;
import dev.kvsim.cluster.SlotMap;
import dev.kvsim.core.KvsimClock;
import dev.kvsim.core.ServiceError;
import dev.kvsim.engine.FreePorts;
import dev.kvsim.instance.CreateInstanceRequest;
import dev.kvsim.instance.InstanceIds;
import dev.kvsim.instance.InstanceStatus;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.instance.InstanceTags;
import dev.kvsim.instance.Overrides;
import dev.kvsim.instance.PasswordRules;
import dev.kvsim.instance.Placement;
import dev.kvsim.instance.StoredInstance;
import dev.kvsim.instance.StoredNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks a create request as the service does and makes the new instance's record (its ID, nodes, port). */
@ApplicationScoped
public class NewInstanceValidator {

    private final InstanceStore store;
    private final Catalog catalog;
    private final Regions regions;
    private final MajorVersions versions;
    /** An instance's creation time is kvsim's (its SLA period starts then). */
    private final KvsimClock clock;

    public NewInstanceValidator(InstanceStore store, Catalog catalog, Regions regions, MajorVersions versions,
                                KvsimClock clock) {
        this.store = store;
        this.catalog = catalog;
        this.regions = regions;
        this.versions = versions;
        this.clock = clock;
    }

    /**
     * @return the new instance (status Creating), not stored yet
     * @throws ServiceError what is wrong with the request
     */
    StoredInstance validate(CreateInstanceRequest req, boolean defaultInstance) {
        if (req == null) {
            throw new ServiceError(400, "MissingParameter", "A JSON body with at least instanceClass is required.");
        }
        if (req.instanceClass() == null || req.instanceClass().isBlank()) {
            throw new ServiceError(400, "MissingParameter", "instanceClass is required.");
        }
        InstanceClass c = catalog.find(req.instanceClass()).orElseThrow(() -> new ServiceError(400,
                "InvalidInstanceClass.NotFound", "The instance class '" + req.instanceClass()
                + "' does not exist; GET /api/v1/classes lists the classes."));
        Overrides o = req.overrides() == null ? Overrides.NONE : req.overrides();
        validateOverrides(o, c);
        String authMode = req.vpcAuthMode() == null ? (req.password() == null ? StoredInstance.AUTH_CLOSE : StoredInstance.AUTH_OPEN)
                : req.vpcAuthMode();
        if (!authMode.equals(StoredInstance.AUTH_OPEN) && !authMode.equals(StoredInstance.AUTH_CLOSE)) {
            throw ServiceError.invalid("vpcAuthMode must be Open or Close; got '" + authMode + "'.");
        }
        if (req.password() != null) {
            PasswordRules.violation(req.password()).ifPresent(v -> {
                throw new ServiceError(400, "InvalidPassword.Malformed", v);
            });
        } else if (authMode.equals(StoredInstance.AUTH_OPEN)) {
            throw new ServiceError(400, "MissingParameter", "password is required when vpcAuthMode is Open.");
        }
        if (req.name() != null && (req.name().isBlank() || req.name().length() > 128)) {
            throw ServiceError.invalid("name must be 1 to 128 characters.");
        }
        Placement placement = placement(req);
        String majorVersion = (req.majorVersion() == null ? versions.engineOwn() : versions.require(req.majorVersion())).label();
        Map<String, String> tags = InstanceTags.check(req.tags());
        if (req.clientToken() != null && (req.clientToken().isEmpty() || req.clientToken().length() > 64)) {
            throw ServiceError.invalid("A client token is 1 to 64 characters.");
        }
        int port = validatePort(req.port());
        String id = InstanceIds.newInstanceId();
        InstanceTags.checkCount(id, tags);
        List<StoredNode> nodes = new ArrayList<>();
        String slotMap = null;
        if (c.isCluster()) {
            // Each shard is a dual-replica pair of plain nodes; the proxy routes by slot.
            int shards = o.shardCount() != null ? o.shardCount() : c.shards();
            for (int s = 0; s < shards; s++) {
                nodes.add(new StoredNode(id + "-s" + s + "-db-0", StoredNode.MASTER, s, 0));
                nodes.add(new StoredNode(id + "-s" + s + "-db-1", StoredNode.REPLICA, s, 0));
            }
            slotMap = SlotMap.even(shards).format();
        } else {
            nodes.add(new StoredNode(id + "-db-0", StoredNode.MASTER, 0, 0));
            if (c.isDualReplica()) {
                nodes.add(new StoredNode(id + "-db-1", StoredNode.REPLICA, 0, 0));
            }
        }
        return new StoredInstance(id, req.name() == null ? id : req.name(), c.name(), InstanceStatus.Creating, port,
                PasswordHash.of(req.password()), authMode, InstanceIds.newInternalPassword(), o, defaultInstance,
                clock.now().truncatedTo(ChronoUnit.MILLIS), nodes, slotMap, placement, majorVersion, tags, false,
                req.clientToken());
    }

    /** The region and zones asked for (the default region's first zone when none), and the network. */
    private Placement placement(CreateInstanceRequest req) {
        Regions.Region region = req.regionId() == null ? regions.defaultRegion() : regions.require(req.regionId());
        String zone = regions.requireZone(region, req.zoneId());
        if (req.secondaryZoneId() != null) {
            regions.requireZone(region, req.secondaryZoneId());
            if (req.secondaryZoneId().equals(zone)) {
                throw ServiceError.invalid("The secondary zone must differ from the primary zone " + zone + ".");
            }
        }
        String network = req.networkType() == null ? Placement.VPC : req.networkType();
        if (!Set.of(Placement.VPC, Placement.CLASSIC).contains(network)) {
            throw ServiceError.invalid("The network type must be VPC or CLASSIC; got '" + network + "'.");
        }
        if (network.equals(Placement.CLASSIC) && (req.vpcId() != null || req.vSwitchId() != null)) {
            throw ServiceError.invalid("A VPC or vSwitch ID applies to the VPC network type only.");
        }
        return new Placement(region.regionId(), zone, req.secondaryZoneId(), network, req.vpcId(), req.vSwitchId());
    }

    private int validatePort(Integer requested) {
        if (requested == null || requested == 0) {
            int port;
            do {
                port = FreePorts.pick();
            } while (store.portInUse(port));
            return port;
        }
        if (requested < 1 || requested > 65535) {
            throw ServiceError.invalid("port must be between 1 and 65535 (or 0 for a free port); got " + requested + ".");
        }
        if (store.portInUse(requested)) {
            throw ServiceError.invalid("The port " + requested + " is already used by another instance.");
        }
        return requested;
    }

    private static void validateOverrides(Overrides o, InstanceClass c) {
        if (o.memoryMb() != null && o.memoryMb() < 1) {
            throw ServiceError.invalid("overrides.memoryMb must be at least 1; got " + o.memoryMb() + ".");
        }
        if (o.maxConnections() != null && o.maxConnections() < 1) {
            throw ServiceError.invalid("overrides.maxConnections must be at least 1; got " + o.maxConnections() + ".");
        }
        if (o.bandwidthMBps() != null && o.bandwidthMBps() < 1) {
            throw ServiceError.invalid("overrides.bandwidthMBps must be at least 1; got " + o.bandwidthMBps() + ".");
        }
        if (o.qps() != null && o.qps() < 1) {
            throw ServiceError.invalid("overrides.qps must be at least 1; got " + o.qps() + ".");
        }
        if (o.shardCount() != null && !c.isCluster()) {
            throw ServiceError.invalid("overrides.shardCount applies to cluster classes only.");
        }
        if (o.shardCount() != null && (o.shardCount() < 2 || o.shardCount() > c.shards())) {
            throw ServiceError.invalid("overrides.shardCount must be between 2 and the class's " + c.shards()
                    + " shards; got " + o.shardCount() + ".");
        }
    }
}
