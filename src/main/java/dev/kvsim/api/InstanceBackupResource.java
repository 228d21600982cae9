package dev.kvsim.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kvsim.backup.Backup;
import dev.kvsim.backup.BackupPolicy;
import dev.kvsim.backup.BackupService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;

/**
 * An instance's backups (CreateBackup, DescribeBackups). A released instance's backups stay listed for their
 * retention.
 */
@Path("/api/v1/instances/{id}/backups")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceBackupResource {

    private final BackupService backups;
    private final ObjectMapper json;

    public InstanceBackupResource(BackupService backups, ObjectMapper json) {
        this.backups = backups;
        this.json = json;
    }

    /** {@code retentionDays}: 7 to 730, or -1 to keep it until deleted; absent: the backup policy's. */
    public record CreateBackup(Integer retentionDays) {
    }

    /** 201 with the job: Running, or done with {@code ?wait=true}. The body is optional, of any content type. */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(@PathParam("id") String id, String body, @QueryParam("wait") boolean wait,
                           @Context UriInfo uri) throws JsonProcessingException {
        CreateBackup request = body == null || body.isBlank() ? null : json.readValue(body, CreateBackup.class);
        Integer days = request == null ? null : request.retentionDays();
        if (days != null && days != -1) {
            BackupPolicy.checkRetention("retentionDays", days);
        }
        return Response.status(201).entity(BackupView.Job.of(backups.create(id, Backup.MANUAL, days, wait),
                uri.getBaseUri().toString())).build();
    }

    /** The instance's backups, oldest first; {@code startTime}/{@code endTime} bound their start. */
    @GET
    public List<BackupView> list(@PathParam("id") String id, @QueryParam("startTime") String startTime,
                                 @QueryParam("endTime") String endTime, @Context UriInfo uri) {
        String base = uri.getBaseUri().toString();
        return backups.list(id, ApiTimes.parse("startTime", startTime), ApiTimes.parse("endTime", endTime)).stream()
                .map(b -> BackupView.of(b, base)).toList();
    }
}
