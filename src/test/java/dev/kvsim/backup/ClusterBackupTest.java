package dev.kvsim.backup;

import dev.kvsim.BackupLogs;
import dev.kvsim.Instances;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.kvsim.Instances.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backups of a 2-shard cluster instance through the admin API: a backup per shard, its files downloadable, a
 * restore that brings back exactly the backed-up data, clones into the same and into another number of shards (the
 * keys spread by slot), and a clone of a second of the backup log.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterBackupTest {

    static final String CLUSTER_CLASS = "redis.logic.sharding.2g.8db.0rodb.8proxy.default";

    private String id;
    private int port;
    private final List<String> made = new ArrayList<>();

    @BeforeAll
    void createCluster() {
        JsonPath c = create(Map.of("instanceClass", CLUSTER_CLASS, "overrides", Map.of("shardCount", 2, "memoryMb", 64)));
        id = c.getString("instanceId");
        port = c.getInt("port");
    }

    @AfterAll
    void deleteInstances() {
        made.forEach(Instances::delete);
    }

    private JsonPath create(Map<String, Object> body) {
        JsonPath c = Instances.create(body);
        made.add(c.getString("instanceId"));
        return c;
    }

    @Test
    void aBackupRestoresExactlyWhatItHeldAndClonesIntoAnyShardCount() {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.flushAll();
            for (int n = 0; n < 200; n++) {
                j.set("k:" + n, "v" + n);
            }
            j.setex("ttl", 1000, "expires");
            j.hset("h", Map.of("a", "1", "b", "2"));
            j.select(3);
            j.set("in3", "db3");
        }
        Map<String, String> backedUp = contents(port);

        JsonPath job = given().post("/api/v1/instances/" + id + "/backups?wait=true").then().statusCode(201)
                .body("status", equalTo("Success")).body("mode", equalTo("Manual")).extract().jsonPath();
        assertEquals(List.of(0, 1), job.getList("backups.shard"), "one backup per shard");
        assertTrue(job.getList("backups.nodeId", String.class).stream().allMatch(n -> n.endsWith("-db-1")),
                "each read from its shard's replica: " + job.getList("backups.nodeId"));
        long first = job.getLong("backups[0].backupId");
        byte[] file = given().get(job.getString("backups[0].downloadUrl")).then().statusCode(200).extract().asByteArray();
        assertEquals(job.getLong("backups[0].sizeBytes"), file.length);
        assertArrayEquals("REDIS".getBytes(), java.util.Arrays.copyOf(file, 5), "an RDB file");

        try (Jedis j = new Jedis("127.0.0.1", port)) {
            for (int n = 200; n < 250; n++) {
                j.set("k:" + n, "later");
            }
            j.del("k:0");
            j.set("k:1", "changed");
        }
        Map<String, String> later = contents(port);

        given().contentType(ContentType.JSON).body(Map.of("backupId", first))
                .post("/api/v1/instances/" + id + "/restore?wait=true").then().statusCode(200)
                .body("status", equalTo("Normal")).body("port", equalTo(port));
        assertEquals(backedUp, contents(port), "exactly the backed-up data, in every database, TTLs kept");
        Map<String, Object> restored = Instances.awaitEvent(id, "BackupRestored", 0);
        assertEquals(job.getInt("backupJobId"), ((Number) restored.get("backupJobId")).intValue());

        // the source gets more writes; clones hold the backup, whatever their shard count
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.set("after-restore", "1");
        }
        for (int shards : new int[]{2, 3}) {
            JsonPath clone = create(Map.of("instanceClass", CLUSTER_CLASS,
                    "overrides", Map.of("shardCount", shards, "memoryMb", 32 * shards),
                    "source", Map.of("instanceId", id, "backupId", job.getLong("backups[1].backupId"))));
            assertEquals(backedUp, contents(clone.getInt("port")), "a clone into " + shards + " shards");
            try (Jedis j = new Jedis("127.0.0.1", clone.getInt("port"))) {
                long ttl = j.ttl("ttl");
                assertTrue(ttl > 900 && ttl <= 1000, "the TTL came along: " + ttl);
            }
        }
        assertEquals("1", contents(port).get("0:after-restore"), "the source is untouched by the clones");
        assertNull(later.get("0:after-restore"));
    }

    @Test
    void aCloneOfASecondOfTheBackupLogHasTheWritesUpToIt() {
        given().contentType(ContentType.JSON).body(Map.of("enableBackupLog", true))
                .put("/api/v1/instances/" + id + "/backup-policy").then().statusCode(200)
                .body("enableBackupLog", equalTo(true));
        BackupLogs.awaitLogStart(id);
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.flushAll();
            Instant second = BackupLogs.startOfNextSecond();
            j.set("{a}first", "1");
            j.set("{b}first", "1");
            BackupLogs.sleepUntil(second.plusMillis(1300));
            j.set("{a}second", "2");
            j.set("{b}second", "2");
            j.del("{a}first");
            JsonPath clone = create(Map.of("source", Map.of("instanceId", id, "restoreTime", second.toString())));
            assertEquals(CLUSTER_CLASS, clone.getString("instanceClass"), "a clone without a class takes the source's");
            Map<String, String> at = contents(clone.getInt("port"));
            assertEquals(Map.of("0:{a}first", "1", "0:{b}first", "1"), at, "the writes of that second, none later");
            assertEquals("2", j.get("{b}second"), "the source keeps its data");
        } finally {
            given().contentType(ContentType.JSON).body(Map.of("enableBackupLog", false))
                    .put("/api/v1/instances/" + id + "/backup-policy").then().statusCode(200);
        }
    }

    /** Every key of every database through the proxy: "db:key" → its value (a hash as its sorted fields). */
    static Map<String, String> contents(int port) {
        Map<String, String> all = new TreeMap<>();
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            for (int db : new int[]{0, 3}) {
                j.select(db);
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    ScanResult<String> page = j.scan(cursor, new ScanParams().count(500));
                    for (String k : page.getResult()) {
                        String type = j.type(k);
                        all.put(db + ":" + k, type.equals("hash") ? new TreeMap<>(j.hgetAll(k)).toString() : j.get(k));
                    }
                    cursor = page.getCursor();
                } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            }
        }
        return all;
    }
}
