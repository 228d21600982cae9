package dev.kvsim.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kvsim.catalog.Catalog;
import dev.kvsim.catalog.InstanceClass;
import dev.kvsim.engine.EngineLocator;
import dev.kvsim.lifecycle.MajorVersionUpgrades;
import dev.kvsim.lifecycle.MajorVersions;
import dev.kvsim.engine.NodeProcess;
import dev.kvsim.ha.HealthMonitor;
import dev.kvsim.instance.CreateInstanceRequest;
import dev.kvsim.instance.InstanceLimits;
import dev.kvsim.lifecycle.InstanceProvisioner;
import dev.kvsim.lifecycle.InstanceService;
import dev.kvsim.lifecycle.RunningInstance;
import dev.kvsim.instance.StoredInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Instances: create, list, get, delete, flush, restart, major version upgrade. Calls that start work return at once with
 * the transitional status, as the service does; {@code ?wait=true} returns once it is Normal.
 */
@Path("/api/v1/instances")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceResource {

    private final InstanceService instances;
    private final InstanceProvisioner provisioner;
    private final EngineLocator engines;
    private final MajorVersions versions;
    private final MajorVersionUpgrades upgrades;
    private final Catalog catalog;
    private final ObjectMapper json;
    private final HealthMonitor health;

    public InstanceResource(InstanceService instances, InstanceProvisioner provisioner, EngineLocator engines,
                            Catalog catalog, ObjectMapper json, HealthMonitor health, MajorVersions versions,
                            MajorVersionUpgrades upgrades) {
        this.versions = versions;
        this.upgrades = upgrades;
        this.health = health;
        this.json = json;
        this.instances = instances;
        this.provisioner = provisioner;
        this.engines = engines;
        this.catalog = catalog;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(CreateInstanceRequest request, @QueryParam("wait") boolean wait) {
        return Response.status(201).entity(view(instances.create(request, false, wait))).build();
    }

    @GET
    public List<InstanceView> list() {
        return instances.list().stream().map(this::view).toList();
    }

    @GET
    @Path("{id}")
    public InstanceView get(@PathParam("id") String id) {
        return view(instances.get(id));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        instances.delete(id);
        return Response.noContent().build();
    }

    /** Body optional: {@code {"db": 3}} flushes one database, none flushes all. */
    @POST
    @Path("{id}/flush")
    @Consumes(MediaType.WILDCARD)
    public InstanceView flush(@PathParam("id") String id, String body) throws JsonProcessingException {
        // parsed here so that a bodiless POST (any content type, as curl -X POST sends it) flushes all
        FlushRequest request = body == null || body.isBlank() ? null : json.readValue(body, FlushRequest.class);
        return view(instances.flush(id, request == null ? null : request.db()));
    }

    @POST
    @Path("{id}/restart")
    public InstanceView restart(@PathParam("id") String id, @QueryParam("wait") boolean wait) {
        return view(instances.restart(id, wait));
    }

    public record FlushRequest(Integer db) {
    }

    /** {@code effectiveTime}: Immediately (the default) or MaintainTime. */
    public record MajorVersionRequest(String majorVersion, String effectiveTime) {
    }

    /**
     * Upgrades the engine major version: 200 with the instance (MajorVersionUpgrading, or Normal with
     * {@code ?wait=true}); 202 with {@code executeAt} when it waits for the maintenance window.
     */
    @POST
    @Path("{id}/major-version")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response majorVersion(@PathParam("id") String id, MajorVersionRequest request, @QueryParam("wait") boolean wait) {
        MajorVersionUpgrades.Upgrade u = upgrades.request(id, request == null ? null : request.majorVersion(),
                request == null ? null : request.effectiveTime(), wait);
        if (u.executeAt() != null) {
            return Response.status(202).entity(Map.of("status", u.status(), "majorVersion", u.majorVersion(),
                    "executeAt", u.executeAt().toString())).build();
        }
        return Response.ok(view(instances.get(id))).build();
    }

    private InstanceView view(StoredInstance i) {
        // A class removed from the catalog after the instance was made: show the instance anyway.
        Optional<InstanceClass> c = catalog.find(i.instanceClass());
        InstanceView.Limits limits = c.map(k -> InstanceLimits.of(k, i.overrides()))
                .map(l -> new InstanceView.Limits(l.memoryMb(), l.maxConnections(), l.bandwidthMBps(), l.qps()))
                .orElse(null);
        Optional<RunningInstance> running = provisioner.running(i.instanceId());
        List<InstanceView.Node> nodes = i.nodes().stream().map(n -> {
            Optional<NodeProcess> p = running.flatMap(r -> r.node(n.nodeId()));
            return new InstanceView.Node(n.nodeId(), n.role(), n.shard(), n.port(),
                    p.map(NodeProcess::pid).orElse(null),
                    p.map(np -> !np.isAlive() ? "down" : np.isPaused() ? "paused" : "up").orElse("stopped"),
                    p.map(health::lastOffset).filter(o -> o >= 0).orElse(null));
        }).toList();
        return new InstanceView(i.instanceId(), i.name(), i.instanceClass(),
                c.map(InstanceClass::architecture).orElse(null), c.map(InstanceClass::nodeType).orElse(null),
                i.status().name(), "127.0.0.1", i.port(), i.vpcAuthMode(), engines.engine().version(),
                versions.of(i).label(),
                i.placement().regionId(), i.placement().zoneId(), i.tags(), i.releaseProtection(),
                limits, nodes, i.createdAt());
    }
}
