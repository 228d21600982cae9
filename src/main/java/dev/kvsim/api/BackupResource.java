package dev.kvsim.api;

import dev.kvsim.backup.Backup;
import dev.kvsim.backup.BackupService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** One backup by its ID, and its RDB file, which the admin port serves for download. */
@Path("/api/v1/backups/{backupId}")
@Produces(MediaType.APPLICATION_JSON)
public class BackupResource {

    private final BackupService backups;

    public BackupResource(BackupService backups) {
        this.backups = backups;
    }

    @GET
    public BackupView get(@PathParam("backupId") String backupId, @Context UriInfo uri) {
        return BackupView.of(backups.get(parseId(backupId)), uri.getBaseUri().toString());
    }

    /** The RDB file of a Success backup. */
    @GET
    @Path("file")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Response file(@PathParam("backupId") String backupId) {
        long id = parseId(backupId);
        Backup b = backups.get(id);
        return Response.ok(backups.file(id).toFile(), MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + b.instanceId() + "-" + id + ".rdb\"").build();
    }

    /** A backup ID is a number; anything else names no backup. */
    private static long parseId(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw BackupService.notFound(text);
        }
    }
}
