package dev.kvsim.rkvstore;

import com.aliyun.r_kvstore20150101.Client;
import com.aliyun.r_kvstore20150101.models.CreateAccountRequest;
import com.aliyun.r_kvstore20150101.models.CreateBackupRequest;
import com.aliyun.r_kvstore20150101.models.CreateInstanceRequest;
import com.aliyun.r_kvstore20150101.models.DeleteInstanceRequest;
import com.aliyun.r_kvstore20150101.models.DescribeBackupPolicyRequest;
import com.aliyun.r_kvstore20150101.models.DescribeBackupPolicyResponseBody;
import com.aliyun.r_kvstore20150101.models.DescribeBackupsRequest;
import com.aliyun.r_kvstore20150101.models.DescribeBackupsResponseBody;
import com.aliyun.r_kvstore20150101.models.DescribeBackupsResponseBody.DescribeBackupsResponseBodyBackupsBackup;
import com.aliyun.r_kvstore20150101.models.DescribeSecurityIpsRequest;
import com.aliyun.r_kvstore20150101.models.ModifyBackupPolicyRequest;
import com.aliyun.r_kvstore20150101.models.ModifySecurityIpsRequest;
import com.aliyun.r_kvstore20150101.models.RestoreInstanceRequest;
import com.aliyun.tea.TeaException;
import dev.kvsim.BackupLogs;
import dev.kvsim.Instances;
import dev.kvsim.instance.InstanceStatus;
import dev.kvsim.instance.InstanceStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import static dev.kvsim.Instances.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backups of a standard instance through the official SDK: CreateBackup, DescribeBackups (pages, filters) and the file
 * behind its download URL, RestoreInstance from a backup (clients disconnected; the instance keeps its port, password,
 * accounts and whitelist) and
 * to a second of the backup log, CreateInstance as a clone (also of a released instance), and the refusals.
 */
@QuarkusTest
class RkvBackupTest {

    static final String PASSWORD = "Passw0rd!";
    static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final Client c = RkvClients.sdk("test", "test", null);

    @Inject
    InstanceStore store;

    @Test
    void backUpRestoreCloneAndRestoreToASecond() throws Exception {
        String id = c.createInstance(new CreateInstanceRequest().setRegionId(RkvClients.REGION)
                .setInstanceClass("redis.master.small.default").setPassword(PASSWORD)).getBody().getInstanceId();
        String clone = null;
        String fromReleased = null;
        try {
            int port = RkvClients.awaitNormal(c, id).getPort().intValue();
            c.createAccount(new CreateAccountRequest().setInstanceId(id).setAccountName("reader")
                    .setAccountPassword(PASSWORD).setAccountPrivilege("RoleReadOnly"));
            c.modifySecurityIps(new ModifySecurityIpsRequest().setInstanceId(id).setSecurityIps("127.0.0.1,10.0.0.0/8"));
            RkvClients.awaitNormal(c, id);
            try (Jedis j = jedis(port)) {
                for (int n = 0; n < 50; n++) {
                    j.set("k" + n, "v" + n);
                }
                j.select(5);
                j.set("in5", "x");
            }
            Map<String, String> backedUp = contents(port);

            String job = c.createBackup(new CreateBackupRequest().setInstanceId(id)).getBody().getBackupJobID();
            DescribeBackupsResponseBodyBackupsBackup b = awaitBackup(id, job);
            assertEquals("Manual", b.getBackupMode());
            assertEquals("Physical", b.getBackupMethod());
            assertEquals("FullBackup", b.getBackupType());
            assertEquals("0,5", b.getBackupDBNames());
            assertEquals(id + "-db-1", b.getNodeInstanceId(), "taken on the replica");
            HttpResponse<byte[]> file = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    b.getBackupDownloadURL())).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, file.statusCode());
            assertEquals(b.getBackupSize().longValue(), file.body().length);

            try (Jedis j = jedis(port)) {
                j.set("k0", "changed");
                j.del("k1");
                j.set("later", "1");
            }
            try (Jedis held = jedis(port)) {
                held.ping();
                c.restoreInstance(new RestoreInstanceRequest().setInstanceId(id).setBackupId(b.getBackupId().toString()));
                assertEquals(port, RkvClients.awaitNormal(c, id).getPort().intValue(), "the port stays");
                assertThrows(JedisConnectionException.class, held::ping, "a restore disconnects the clients");
            }
            assertEquals(backedUp, contents(port), "exactly the backed-up data");
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                j.auth("reader", PASSWORD);
                assertEquals("v0", j.get("k0"), "the accounts stay");
            }
            assertTrue(c.describeSecurityIps(new DescribeSecurityIpsRequest().setInstanceId(id)).getBody()
                    .getSecurityIpGroups().getSecurityIpGroup().get(0).getSecurityIpList().contains("10.0.0.0/8"),
                    "the whitelist stays");

            try (Jedis j = jedis(port)) {
                j.set("after-restore", "1");
            }
            assertListsAndPages(id, b, c.createBackup(new CreateBackupRequest().setInstanceId(id)).getBody()
                    .getBackupJobID());
            clone = c.createInstance(new CreateInstanceRequest().setRegionId(RkvClients.REGION)
                    .setInstanceClass("redis.master.mid.default").setPassword(PASSWORD).setSrcDBInstanceId(id)
                    .setBackupId(b.getBackupId().toString())).getBody().getInstanceId();
            assertEquals(backedUp, contents(RkvClients.awaitNormal(c, clone).getPort().intValue()),
                    "the clone holds the backup");
            assertEquals("1", contents(port).get("0:after-restore"), "the source is untouched");
            TeaException smaller = assertCode(400, "InvalidParameter", () -> c.createInstance(new CreateInstanceRequest()
                    .setRegionId(RkvClients.REGION).setInstanceClass("redis.master.micro.default")
                    .setSrcDBInstanceId(id).setBackupId(b.getBackupId().toString())));
            assertTrue(smaller.getMessage().contains("same or a bigger class"), smaller.getMessage());

            // a second of the backup log
            c.modifyBackupPolicy(new ModifyBackupPolicyRequest().setInstanceId(id).setEnableBackupLog(1)
                    .setPreferredBackupPeriod("Monday,Wednesday,Friday").setPreferredBackupTime("05:00Z-06:00Z"));
            DescribeBackupPolicyResponseBody policy = c.describeBackupPolicy(new DescribeBackupPolicyRequest()
                    .setInstanceId(id)).getBody();
            assertEquals(1, policy.getEnableBackupLog());
            assertEquals("Monday,Wednesday,Friday", policy.getPreferredBackupPeriod());
            assertEquals("05:00Z-06:00Z", policy.getPreferredBackupTime());
            BackupLogs.awaitLogStart(id);
            Instant second;
            try (Jedis j = jedis(port)) {
                second = BackupLogs.startOfNextSecond();
                j.set("first", "1");
                BackupLogs.sleepUntil(second.plusMillis(1300));
                j.set("second", "2");
            }
            c.restoreInstance(new RestoreInstanceRequest().setInstanceId(id).setRestoreType("1")
                    .setRestoreTime(SECONDS.format(second)));
            RkvClients.awaitNormal(c, id);
            try (Jedis j = jedis(port)) {
                assertEquals("1", j.get("first"), "the write of that second is there");
                assertNull(j.get("second"), "the later one is not");
                assertEquals("1", j.get("after-restore"));
            }

            c.deleteInstance(new DeleteInstanceRequest().setInstanceId(id));
            assertTrue(backups(id).stream().anyMatch(kept -> kept.getBackupId().equals(b.getBackupId())),
                    "a released instance's backups stay");
            fromReleased = c.createInstance(new CreateInstanceRequest().setRegionId(RkvClients.REGION)
                    .setSrcDBInstanceId(id).setBackupId(b.getBackupId().toString())).getBody().getInstanceId();
            int releasedClonePort = RkvClients.awaitNormal(c, fromReleased).getPort().intValue();
            try (Jedis j = new Jedis("127.0.0.1", releasedClonePort)) {
                assertEquals("v0", j.get("k0"), "a released instance's backup clones");
            }
        } finally {
            for (String made : new String[]{clone, fromReleased}) {
                if (made != null) {
                    c.deleteInstance(new DeleteInstanceRequest().setInstanceId(made));
                }
            }
            if (given().get("/api/v1/instances/" + id).statusCode() == 200) {
                Instances.delete(id);
            }
        }
    }

    @Test
    void refusalsHaveTheServicesCodes() throws Exception {
        String id = Instances.createDual().getString("instanceId");
        try {
            assertCode(404, "InvalidBackupId.NotFound", () -> c.restoreInstance(new RestoreInstanceRequest()
                    .setInstanceId(id).setBackupId("987654321")));
            TeaException outside = assertCode(400, "InvalidParameter", () -> c.restoreInstance(new RestoreInstanceRequest()
                    .setInstanceId(id).setRestoreType("1").setRestoreTime("2020-01-01T00:00:00Z")));
            assertTrue(outside.getMessage().contains("restore time"), outside.getMessage());
            assertCode(400, "InvalidParameter", () -> c.modifyBackupPolicy(new ModifyBackupPolicyRequest()
                    .setInstanceId(id).setPreferredBackupPeriod("Monday").setPreferredBackupTime("02:30Z-03:30Z")));
            assertCode(400, "MissingParameter", () -> c.describeBackups(new DescribeBackupsRequest().setInstanceId(id)));
            assertCode(404, "InvalidDBInstance.NotFound", () -> c.describeBackupPolicy(new DescribeBackupPolicyRequest()
                    .setInstanceId("r-000000000000000000")));
            // the status a restart shows, set in the store: a real restart may be over before the next call
            store.setStatus(id, InstanceStatus.Rebooting);
            try {
                assertCode(403, "IncorrectDBInstanceState", () -> c.createBackup(new CreateBackupRequest()
                        .setInstanceId(id)));
            } finally {
                store.setStatus(id, InstanceStatus.Normal);
            }
        } finally {
            Instances.delete(id);
        }
    }

    /** DescribeBackups: newest first, in pages, narrowed by BackupId and by its time filters. */
    private void assertListsAndPages(String id, DescribeBackupsResponseBodyBackupsBackup older, String newerJob)
            throws Exception {
        DescribeBackupsResponseBodyBackupsBackup newer = awaitBackup(id, newerJob);
        Instant now = Instant.now();
        DescribeBackupsRequest all = new DescribeBackupsRequest().setInstanceId(id)
                .setStartTime(MINUTES.format(now.minus(1, ChronoUnit.HOURS)))
                .setEndTime(MINUTES.format(now.plus(1, ChronoUnit.HOURS))).setPageSize(1);
        DescribeBackupsResponseBody first = c.describeBackups(all.setPageNumber(1)).getBody();
        assertEquals(2, first.getTotalCount());
        assertEquals(1, first.getPageSize());
        assertEquals(List.of(newer.getBackupId()), first.getBackups().getBackup().stream()
                .map(DescribeBackupsResponseBodyBackupsBackup::getBackupId).toList(), "newest first");
        assertEquals(List.of(older.getBackupId()), c.describeBackups(all.setPageNumber(2)).getBody().getBackups()
                .getBackup().stream().map(DescribeBackupsResponseBodyBackupsBackup::getBackupId).toList());
        assertEquals(0, c.describeBackups(all.setPageNumber(3)).getBody().getBackups().getBackup().size());
        DescribeBackupsResponseBody one = c.describeBackups(all.setPageNumber(1).setPageSize(30)
                .setBackupId(older.getBackupId())).getBody();
        assertEquals(1, one.getTotalCount());
        assertEquals(older.getBackupId(), one.getBackups().getBackup().get(0).getBackupId());
        DescribeBackupsResponseBody before = c.describeBackups(new DescribeBackupsRequest().setInstanceId(id)
                .setStartTime(MINUTES.format(now.minus(2, ChronoUnit.DAYS)))
                .setEndTime(MINUTES.format(now.minus(1, ChronoUnit.DAYS)))).getBody();
        assertEquals(0, before.getTotalCount(), "none started in that window");
        assertCode(400, "InvalidParameter", () -> c.describeBackups(new DescribeBackupsRequest().setInstanceId(id)
                .setStartTime(MINUTES.format(now)).setEndTime(MINUTES.format(now.minus(1, ChronoUnit.DAYS)))));
    }

    private static TeaException assertCode(int status, String code, Callable<?> call) {
        TeaException e = assertThrows(TeaException.class, call::call);
        assertEquals(code, e.getCode(), e.getMessage());
        assertEquals(status, e.getStatusCode(), e.getMessage());
        return e;
    }

    private List<DescribeBackupsResponseBodyBackupsBackup> backups(String id) throws Exception {
        Instant now = Instant.now();
        return c.describeBackups(new DescribeBackupsRequest().setInstanceId(id)
                .setStartTime(MINUTES.format(now.minus(1, ChronoUnit.DAYS)))
                .setEndTime(MINUTES.format(now.plus(1, ChronoUnit.DAYS)))).getBody().getBackups().getBackup();
    }

    /** Polls DescribeBackups until the job's backup is done. */
    private DescribeBackupsResponseBodyBackupsBackup awaitBackup(String id, String job) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (DescribeBackupsResponseBodyBackupsBackup b : backups(id)) {
                if (b.getBackupJobID().toString().equals(job) && !"Running".equals(b.getBackupStatus())) {
                    assertEquals("Success", b.getBackupStatus());
                    return b;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("backup job " + job + " not done within 30 s");
    }

    private static Jedis jedis(int port) {
        Jedis j = new Jedis("127.0.0.1", port);
        j.auth(PASSWORD);
        return j;
    }

    /** Every key of databases 0 and 5: "db:key" → value. */
    static Map<String, String> contents(int port) {
        Map<String, String> all = new TreeMap<>();
        try (Jedis j = jedis(port)) {
            for (int db : new int[]{0, 5}) {
                j.select(db);
                for (String k : j.keys("*")) {
                    all.put(db + ":" + k, j.get(k));
                }
            }
        }
        return all;
    }
}
