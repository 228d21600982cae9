package dev.kvsim.instance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kvsim.catalog.Regions;
import dev.kvsim.core.ServiceError;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** Instances and their nodes in the database; hands out detached {@link StoredInstance} copies. */
@ApplicationScoped
public class InstanceStore {

    private static final TypeReference<TreeMap<String, String>> TAGS = new TypeReference<>() {
    };

    private final Regions regions;
    private final ObjectMapper json;

    public InstanceStore(Regions regions, ObjectMapper json) {
        this.regions = regions;
        this.json = json;
    }

    @Transactional
    public void insert(StoredInstance i) {
        InstanceEntity e = new InstanceEntity();
        e.instanceId = i.instanceId();
        e.name = i.name();
        e.instanceClass = i.instanceClass();
        e.status = i.status().name();
        e.port = i.port();
        e.passwordHash = i.passwordHash();
        e.vpcAuthMode = i.vpcAuthMode();
        e.internalPassword = i.internalPassword();
        e.memoryMb = i.overrides().memoryMb();
        e.maxConnections = i.overrides().maxConnections();
        e.bandwidthMBps = i.overrides().bandwidthMBps();
        e.shardCount = i.overrides().shardCount();
        e.qps = i.overrides().qps();
        e.slotMap = i.slotMap();
        e.defaultInstance = i.defaultInstance();
        e.createdAt = i.createdAt();
        Placement p = i.placement();
        e.regionId = p.regionId();
        e.zoneId = p.zoneId();
        e.secondaryZoneId = p.secondaryZoneId();
        e.networkType = p.networkType();
        e.vpcId = p.vpcId();
        e.vSwitchId = p.vSwitchId();
        e.majorVersion = i.majorVersion();
        e.tags = tagsJson(i.tags());
        e.releaseProtection = i.releaseProtection();
        e.clientToken = i.clientToken();
        e.persist();
        writeNodes(i.instanceId(), i.nodes());
    }

    @Transactional
    public Optional<StoredInstance> find(String instanceId) {
        return InstanceEntity.<InstanceEntity>findByIdOptional(instanceId).map(this::toRecord);
    }

    /** The instance, or 404 InvalidInstanceId.NotFound. */
    public StoredInstance require(String instanceId) {
        return find(instanceId).orElseThrow(() -> ServiceError.notFound(instanceId));
    }

    @Transactional
    public List<StoredInstance> all() {
        return InstanceEntity.<InstanceEntity>listAll().stream()
                .sorted((a, b) -> a.createdAt.compareTo(b.createdAt))
                .map(this::toRecord).toList();
    }

    /** The instance a CreateInstance call with this token made, if it still exists. */
    @Transactional
    public Optional<StoredInstance> findByClientToken(String token) {
        return InstanceEntity.<InstanceEntity>find("clientToken", token).firstResultOptional().map(this::toRecord);
    }

    @Transactional
    public boolean portInUse(int port) {
        return InstanceEntity.count("port", port) > 0;
    }

    /**
     * Moves the instance to {@code to} if its status is one of {@code from}, atomically.
     *
     * @throws ServiceError 404 when it does not exist, 409 when its status forbids the change
     */
    @Transactional
    public StoredInstance transition(String instanceId, InstanceStatus to, InstanceStatus... from) {
        // the row lock orders this check-and-set against every other status change of the instance
        InstanceEntity e = InstanceEntity.findById(instanceId, LockModeType.PESSIMISTIC_WRITE);
        if (e == null) {
            throw ServiceError.notFound(instanceId);
        }
        InstanceStatus now = InstanceStatus.valueOf(e.status);
        if (!Arrays.asList(from).contains(now)) {
            throw ServiceError.wrongState(instanceId, now);
        }
        e.status = to.name();
        return toRecord(e);
    }

    @Transactional
    public void setStatus(String instanceId, InstanceStatus status) {
        InstanceEntity.update("status = ?1 where instanceId = ?2", status.name(), instanceId);
    }

    /** The default account's new password, as a hash (ResetAccountPassword of the account named after the instance). */
    @Transactional
    public void setPasswordHash(String instanceId, String passwordHash) {
        InstanceEntity.update("passwordHash = ?1 where instanceId = ?2", passwordHash, instanceId);
    }

    @Transactional
    public void setName(String instanceId, String name) {
        InstanceEntity.update("name = ?1 where instanceId = ?2", name, instanceId);
    }

    @Transactional
    public void setReleaseProtection(String instanceId, boolean on) {
        InstanceEntity.update("releaseProtection = ?1 where instanceId = ?2", on, instanceId);
    }

    @Transactional
    public void setVpcAuthMode(String instanceId, String mode) {
        InstanceEntity.update("vpcAuthMode = ?1 where instanceId = ?2", mode, instanceId);
    }

    /**
     * Changes the instance's tags under its row lock, so that concurrent tag changes do not lose each other.
     *
     * @return the tags after the change
     * @throws ServiceError 404 when the instance does not exist
     */
    @Transactional
    public Map<String, String> updateTags(String instanceId, UnaryOperator<Map<String, String>> change) {
        InstanceEntity e = InstanceEntity.findById(instanceId, LockModeType.PESSIMISTIC_WRITE);
        if (e == null) {
            throw ServiceError.notFound(instanceId);
        }
        Map<String, String> after = new TreeMap<>(change.apply(readTags(e.tags)));
        e.tags = tagsJson(after);
        return after;
    }

    /** The engine major version the instance runs as from now on ("6.0"). */
    @Transactional
    public void setMajorVersion(String instanceId, String majorVersion) {
        InstanceEntity.update("majorVersion = ?1 where instanceId = ?2", majorVersion, instanceId);
    }

    /** Moves the instance's endpoint to another port (the default instance when its port changes). */
    @Transactional
    public void setPort(String instanceId, int port) {
        InstanceEntity.update("port = ?1 where instanceId = ?2", port, instanceId);
    }

    /** The stored maintenance window, or null when the instance uses the default one. */
    @Transactional
    public MaintenanceWindow maintenanceWindow(String instanceId) {
        InstanceEntity e = InstanceEntity.findById(instanceId);
        if (e == null) {
            throw ServiceError.notFound(instanceId);
        }
        return e.maintainStart == null ? null : MaintenanceWindow.parse(e.maintainStart, e.maintainEnd);
    }

    @Transactional
    public void setMaintenanceWindow(String instanceId, MaintenanceWindow w) {
        InstanceEntity.update("maintainStart = ?1, maintainEnd = ?2 where instanceId = ?3",
                w.startText(), w.endText(), instanceId);
    }

    @Transactional
    public void saveNodes(String instanceId, Collection<StoredNode> nodes) {
        NodeEntity.delete("instanceId", instanceId);
        NodeEntity.flush();
        writeNodes(instanceId, nodes);
    }

    @Transactional
    public void delete(String instanceId) {
        NodeEntity.delete("instanceId", instanceId);
        InstanceEntity.deleteById(instanceId);
    }

    private static void writeNodes(String instanceId, Collection<StoredNode> nodes) {
        for (StoredNode n : nodes) {
            NodeEntity ne = new NodeEntity();
            ne.nodeId = n.nodeId();
            ne.instanceId = instanceId;
            ne.role = n.role();
            ne.shard = n.shard();
            ne.port = n.port();
            ne.persist();
        }
    }

    private StoredInstance toRecord(InstanceEntity e) {
        List<StoredNode> nodes = NodeEntity.<NodeEntity>list("instanceId = ?1 order by shard, nodeId", e.instanceId).stream()
                .map(n -> new StoredNode(n.nodeId, n.role, n.shard, n.port)).toList();
        return new StoredInstance(e.instanceId, e.name, e.instanceClass, InstanceStatus.valueOf(e.status), e.port,
                e.passwordHash, e.vpcAuthMode, e.internalPassword,
                new Overrides(e.memoryMb, e.maxConnections, e.bandwidthMBps, e.shardCount, e.qps),
                e.defaultInstance, e.createdAt, nodes, e.slotMap, placementOf(e), e.majorVersion, readTags(e.tags),
                e.releaseProtection, e.clientToken);
    }

    /** A row from before regions is in the default region's default zone, on a VPC. */
    private Placement placementOf(InstanceEntity e) {
        if (e.regionId == null) {
            Regions.Region r = regions.defaultRegion();
            return new Placement(r.regionId(), r.defaultZone(), null, Placement.VPC, null, null);
        }
        return new Placement(e.regionId, e.zoneId, e.secondaryZoneId,
                e.networkType == null ? Placement.VPC : e.networkType, e.vpcId, e.vSwitchId);
    }

    private Map<String, String> readTags(String text) {
        if (text == null || text.isEmpty()) {
            return Map.of();
        }
        try {
            return java.util.Collections.unmodifiableMap(json.readValue(text, TAGS));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("stored tags are not a JSON object: " + ex.getOriginalMessage(), ex);
        }
    }

    private String tagsJson(Map<String, String> tags) {
        if (tags == null || tags.isEmpty()) {
            return null;
        }
        try {
            return json.writeValueAsString(new TreeMap<>(tags));
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException(ex);
        }
    }
}
