package dev.kvsim.rkvstore.actions;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kvsim.backup.Backup;
import dev.kvsim.backup.BackupPolicy;
import dev.kvsim.backup.BackupPolicyService;
import dev.kvsim.backup.BackupService;
import dev.kvsim.backup.RestoreService;
import dev.kvsim.core.KvsimClock;
import dev.kvsim.rkvstore.ActionTable;
import dev.kvsim.rkvstore.NotFoundCode;
import dev.kvsim.rkvstore.RpcActions;
import dev.kvsim.rkvstore.RpcErrors;
import dev.kvsim.rkvstore.RpcRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Backups: CreateBackup, DescribeBackups, DescribeBackupPolicy, ModifyBackupPolicy, RestoreInstance. (A clone is
 * CreateInstance with SrcDBInstanceId, in {@link InstanceActions}.)
 */
@ApplicationScoped
public class BackupActions implements RpcActions {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'")
            .withZone(ZoneOffset.UTC);

    private final BackupService backups;
    private final BackupPolicyService policies;
    private final RestoreService restores;
    private final KvsimClock clock;

    public BackupActions(BackupService backups, BackupPolicyService policies, RestoreService restores, KvsimClock clock) {
        this.backups = backups;
        this.policies = policies;
        this.restores = restores;
        this.clock = clock;
    }

    @Override
    public void register(ActionTable table) {
        table.add("CreateBackup", this::create);
        table.add("DescribeBackups", this::describe);
        table.add("DescribeBackupPolicy", NotFoundCode.DB_INSTANCE, this::describePolicy);
        table.add("ModifyBackupPolicy", this::modifyPolicy);
        table.add("RestoreInstance", this::restore);
    }

    public record Created(@JsonProperty("BackupJobID") String backupJobId) {
    }

    /** BackupRetentionPeriod (the newer SDKs'): 7 to 730 days, or -1 to keep it until deleted. */
    private Created create(RpcRequest r) {
        String id = r.instanceId();
        Integer days = r.integer("BackupRetentionPeriod");
        if (days != null && days != -1) {
            BackupPolicy.checkRetention("BackupRetentionPeriod", days);
        }
        return new Created(Long.toString(backups.create(id, Backup.MANUAL, days, false).jobId()));
    }

    /** One backup as DescribeBackups lists it; the download URL is kvsim's admin port, where the SDK's caller is. */
    public record Item(@JsonProperty("BackupId") Long backupId, @JsonProperty("BackupJobID") Long backupJobId,
                       String backupStatus, String backupStartTime, String backupEndTime, String backupType,
                       String backupMethod, String backupMode, Long backupSize,
                       @JsonProperty("BackupDownloadURL") String backupDownloadUrl,
                       @JsonProperty("BackupIntranetDownloadURL") String backupIntranetDownloadUrl,
                       @JsonProperty("BackupDBNames") String backupDbNames, String engineVersion,
                       String nodeInstanceId, String expectExpireTime) {
    }

    public record Items(List<Item> backup) {
    }

    public record Page(Items backups, Integer pageNumber, Integer pageSize, Integer totalCount) {
    }

    /**
     * The instance's backups whose start is within StartTime to EndTime (required, {@code yyyy-MM-ddTHH:mmZ}),
     * newest first; BackupId, BackupJobId and NodeId narrow them; PageSize up to 300.
     */
    private Page describe(RpcRequest r) {
        String id = r.instanceId();
        Instant start = r.instant("StartTime");
        Instant end = r.instant("EndTime");
        if (start == null) {
            throw RpcErrors.missing("StartTime");
        }
        if (end == null) {
            throw RpcErrors.missing("EndTime");
        }
        if (end.isBefore(start)) {
            throw RpcErrors.invalid("EndTime", "it must not be before StartTime (" + r.string("StartTime") + ").");
        }
        Long backupId = r.longValue("BackupId");
        Long jobId = r.longValue("BackupJobId");
        String nodeId = r.string("NodeId");
        int pageNumber = r.integer("PageNumber", 1, 1, Integer.MAX_VALUE);
        int pageSize = r.integer("PageSize", 30, 1, 300);
        // StartTime and EndTime are to the minute: the end minute is included whole
        List<Backup> all = new ArrayList<>(backups.list(id, start, end.plusSeconds(59)).stream()
                .filter(b -> (backupId == null || b.backupId() == backupId) && (jobId == null || b.jobId() == jobId)
                        && (nodeId == null || nodeId.equals(b.nodeId())))
                .toList());
        all.sort(Comparator.comparing(Backup::startedAt).thenComparing(Backup::backupId).reversed());
        String url = "http://" + r.endpoint() + "/api/v1/backups/";
        List<Item> page = all.stream().skip((long) (pageNumber - 1) * pageSize).limit(pageSize).map(b -> new Item(
                b.backupId(), b.jobId(), b.status(), time(b.startedAt()), time(b.finishedAt()), Backup.TYPE,
                Backup.METHOD, b.mode(), b.sizeBytes(),
                Backup.SUCCESS.equals(b.status()) ? url + b.backupId() + "/file" : null,
                Backup.SUCCESS.equals(b.status()) ? url + b.backupId() + "/file" : null,
                b.dbNames(), b.engineVersion(), b.nodeId(), time(b.expiresAt()))).toList();
        return new Page(new Items(page), pageNumber, pageSize, all.size());
    }

    public record Policy(String preferredBackupPeriod, String preferredBackupTime, String backupRetentionPeriod,
                         Integer enableBackupLog, String backupLogStartTime, String preferredNextBackupTime,
                         String dbsInstance) {
    }

    private Policy describePolicy(RpcRequest r) {
        BackupPolicy p = policies.get(r.instanceId());
        return new Policy(p.daysText(), p.windowText(), Integer.toString(p.retentionDays()), p.backupLog() ? 1 : 0,
                p.logStart() == null ? null : SECONDS.format(p.logStart()), MINUTES.format(p.nextBackup(clock.now())),
                "0");
    }

    /** PreferredBackupPeriod and PreferredBackupTime are required; EnableBackupLog 0 or 1; BackupRetentionPeriod. */
    private Object modifyPolicy(RpcRequest r) {
        String id = r.instanceId();
        String period = r.required("PreferredBackupPeriod");
        String time = r.required("PreferredBackupTime");
        Integer log = r.integer("EnableBackupLog");
        if (log != null && log != 0 && log != 1) {
            throw RpcErrors.invalid("EnableBackupLog", "it must be 0 or 1; got " + log + ".");
        }
        Integer days = r.integer("BackupRetentionPeriod");
        if (days != null) {
            BackupPolicy.checkRetention("BackupRetentionPeriod", days);
        }
        policies.modify(id, BackupPolicy.parseDays("PreferredBackupPeriod", List.of(period.split(","))),
                BackupPolicy.parseWindow("PreferredBackupTime", time), days, log == null ? null : log == 1);
        return null;
    }

    /**
     * RestoreType 0 (the default): from BackupId (any backup of a job, or the job's backups comma-separated);
     * 1: to RestoreTime ({@code yyyy-MM-ddTHH:mm:ssZ}) from the backup log.
     */
    private Object restore(RpcRequest r) {
        String id = r.instanceId();
        // RestoreTime alone reads as RestoreType 1, as it can mean nothing else
        String type = r.oneOf("RestoreType", r.string("RestoreTime") != null && r.string("BackupId") == null ? "1" : "0",
                List.of("0", "1"));
        for (String unsupported : List.of("FilterKey", "TimeShift")) {
            if (r.string(unsupported) != null) {
                throw RpcErrors.invalid(unsupported, "kvsim restores whole instances; restoring chosen keys is not "
                        + "supported.");
            }
        }
        if (type.equals("1")) {
            Instant t = r.instant("RestoreTime");
            if (t == null) {
                throw RpcErrors.missing("RestoreTime");
            }
            restores.restore(id, null, t, false);
        } else {
            List<Long> ids = new ArrayList<>();
            for (String part : r.required("BackupId").split(",")) {
                ids.add(backupId(part));
            }
            restores.restore(id, ids, null, false);
        }
        return null;
    }

    /** One BackupId as DescribeBackups lists them (also CreateInstance's, for a clone). */
    static long backupId(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw RpcErrors.invalid("BackupId", "'" + text + "' is not a backup ID; DescribeBackups lists them.");
        }
    }

    private static String time(Instant t) {
        return t == null ? null : SECONDS.format(t);
    }
}
