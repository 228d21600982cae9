package dev.kvsim.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kvsim.backup.CloneService;
import dev.kvsim.core.ServiceError;
import dev.kvsim.instance.CloneSource;
import dev.kvsim.instance.CreateInstanceRequest;
import dev.kvsim.lifecycle.InstanceService;
import dev.kvsim.lifecycle.MajorVersionUpgrades;
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

/**
 * Instances: create (also as a clone), list, get, delete, flush, restart, major version upgrade. Calls that start work return at once with
 * the transitional status, as the service does; {@code ?wait=true} returns once it is Normal.
 */
@Path("/api/v1/instances")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceResource {

    private final InstanceService instances;
    private final CloneService clones;
    private final InstanceViews views;
    private final MajorVersionUpgrades upgrades;
    private final ObjectMapper json;

    public InstanceResource(InstanceService instances, CloneService clones, InstanceViews views,
                            MajorVersionUpgrades upgrades, ObjectMapper json) {
        this.instances = instances;
        this.upgrades = upgrades;
        this.clones = clones;
        this.views = views;
        this.json = json;
    }

    /** A new instance; with a {@code source}, a clone of another instance's backup or point in time. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(CreateInstanceRequest request, @QueryParam("wait") boolean wait) {
        CloneSource source = request == null ? null : request.source();
        StoredInstance made;
        if (source == null) {
            made = instances.create(request, false, wait);
        } else {
            if (source.instanceId() == null || source.instanceId().isBlank()) {
                throw new ServiceError(400, "MissingParameter", "source.instanceId is required: the instance to clone.");
            }
            if ((source.backupId() == null) == (source.restoreTime() == null)) {
                throw new ServiceError(400, "MissingParameter",
                        "source takes one of backupId (a backup to clone) and restoreTime (a point in time).");
            }
            made = clones.create(request, ApiTimes.parse("source.restoreTime", source.restoreTime()), wait);
        }
        return Response.status(201).entity(views.of(made)).build();
    }

    @GET
    public List<InstanceView> list() {
        return instances.list().stream().map(views::of).toList();
    }

    @GET
    @Path("{id}")
    public InstanceView get(@PathParam("id") String id) {
        return views.of(instances.get(id));
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
        return views.of(instances.flush(id, request == null ? null : request.db()));
    }

    @POST
    @Path("{id}/restart")
    public InstanceView restart(@PathParam("id") String id, @QueryParam("wait") boolean wait) {
        return views.of(instances.restart(id, wait));
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
        return Response.ok(views.of(instances.get(id))).build();
    }
}
