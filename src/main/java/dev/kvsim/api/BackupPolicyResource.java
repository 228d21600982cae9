package dev.kvsim.api;

import dev.kvsim.backup.BackupPolicy;
import dev.kvsim.backup.BackupPolicyService;
import dev.kvsim.core.KvsimClock;
import dev.kvsim.core.ServiceError;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/** An instance's backup policy (DescribeBackupPolicy, ModifyBackupPolicy). */
@Path("/api/v1/instances/{id}/backup-policy")
@Produces(MediaType.APPLICATION_JSON)
public class BackupPolicyResource {

    private final BackupPolicyService policies;
    private final KvsimClock clock;

    public BackupPolicyResource(BackupPolicyService policies, KvsimClock clock) {
        this.policies = policies;
        this.clock = clock;
    }

    /**
     * @param backupLogStartTime      from when the backup log covers the instance (null: off, or still starting)
     * @param preferredNextBackupTime the next automatic backup
     */
    public record PolicyView(List<String> preferredBackupPeriod, String preferredBackupTime, int backupRetentionPeriod,
                             boolean enableBackupLog, Instant backupLogStartTime, Instant preferredNextBackupTime) {
    }

    /** What a PUT changes; an absent field keeps its value. */
    public record PolicyChange(List<String> preferredBackupPeriod, String preferredBackupTime,
                               Integer backupRetentionPeriod, Boolean enableBackupLog) {
    }

    @GET
    public PolicyView get(@PathParam("id") String id) {
        return view(policies.get(id));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public PolicyView put(@PathParam("id") String id, PolicyChange change) {
        if (change == null) {
            throw new ServiceError(400, "MissingParameter", "A JSON body with the fields to change is required.");
        }
        if (change.backupRetentionPeriod() != null) {
            BackupPolicy.checkRetention("backupRetentionPeriod", change.backupRetentionPeriod());
        }
        return view(policies.modify(id,
                change.preferredBackupPeriod() == null ? null
                        : BackupPolicy.parseDays("preferredBackupPeriod", change.preferredBackupPeriod()),
                change.preferredBackupTime() == null ? null
                        : BackupPolicy.parseWindow("preferredBackupTime", change.preferredBackupTime()),
                change.backupRetentionPeriod(), change.enableBackupLog()));
    }

    private PolicyView view(BackupPolicy p) {
        return new PolicyView(p.dayNames(), p.windowText(), p.retentionDays(), p.backupLog(), p.logStart(),
                p.nextBackup(clock.now()));
    }
}
