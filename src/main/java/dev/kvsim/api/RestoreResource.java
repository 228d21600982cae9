package dev.kvsim.api;

import dev.kvsim.backup.RestoreService;
import dev.kvsim.core.ServiceError;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** RestoreInstance: the instance's data replaced by a backup's, or by its backup log's at a second. */
@Path("/api/v1/instances/{id}/restore")
@Produces(MediaType.APPLICATION_JSON)
public class RestoreResource {

    private final RestoreService restores;
    private final InstanceViews views;

    public RestoreResource(RestoreService restores, InstanceViews views) {
        this.restores = restores;
        this.views = views;
    }

    /** One of: {@code backupId} (any backup of a job), {@code restoreTime} (ISO-8601 UTC). */
    public record RestoreRequest(Long backupId, String restoreTime) {
    }

    /** 200 with the instance: BackupRecovering, or Normal again with {@code ?wait=true}. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public InstanceView restore(@PathParam("id") String id, RestoreRequest body, @QueryParam("wait") boolean wait) {
        if (body == null || (body.backupId() == null) == (body.restoreTime() == null)) {
            throw new ServiceError(400, "MissingParameter",
                    "The body takes one of backupId (a backup to restore) and restoreTime (a point in time).");
        }
        return views.of(restores.restore(id, body.backupId() == null ? null : List.of(body.backupId()),
                ApiTimes.parse("restoreTime", body.restoreTime()), wait));
    }
}
