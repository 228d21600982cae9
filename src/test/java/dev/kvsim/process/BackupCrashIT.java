package dev.kvsim.process;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backups in the packaged kvsim: a full backup storage ({@code kvsim.backup.max-bytes}) fails a backup and leaves
 * the instance as it was; a kvsim killed during a backup and during a restore loses nothing. (Backups on the bundled
 * Redis 6.2: {@link KvsimProcessIT}.)
 */
class BackupCrashIT {

    private static final Duration START = Duration.ofSeconds(120);

    @Test
    void aFullStorageOrAKill9LosesNothing() throws Exception {
        try (KvsimProcess kvsim = new KvsimProcess(Files.createTempDirectory("kvsim-it"), KvsimProcess.freePort(),
                "-Dkvsim.backup.max-bytes=300000")) {
            kvsim.start().awaitReady(START);
            String a = kvsim.api().get("/api/v1/instances").then().extract().jsonPath().getString("[0].instanceId");
            int aPort = kvsim.defaultPort;
            JsonPath b = kvsim.api().contentType(ContentType.JSON).body(Map.of("instanceClass", "redis.master.micro.default"))
                    .post("/api/v1/instances?wait=true").then().statusCode(201).extract().jsonPath();
            write(aPort, "a", 100);
            write(b.getInt("port"), "b", 100);

            // a full storage: Failed, an event, the instance as it was
            byte[] big = new byte[400_000];
            new java.util.Random(18).nextBytes(big);  // incompressible: the RDB holds all of it
            try (Jedis j = new Jedis("127.0.0.1", aPort)) {
                j.set("big".getBytes(), big);
            }
            Map<String, String> aBefore = contents(aPort);
            JsonPath full = kvsim.api().post("/api/v1/instances/" + a + "/backups?wait=true").then().statusCode(201)
                    .body("status", equalTo("Failed")).extract().jsonPath();
            assertTrue(full.getString("backups[0].error").contains("kvsim.backup.max-bytes"), full.prettify());
            assertTrue(events(kvsim, a).contains("BackupFailed"));
            kvsim.api().get("/api/v1/instances/" + a).then().body("status", equalTo("Normal"));
            assertEquals(aBefore, contents(aPort), "the instance is not touched");
            try (Jedis j = new Jedis("127.0.0.1", aPort)) {
                j.del("big");
            }

            // killed while a backup waits on a paused replica, and right after a restore begins
            kvsim.api().contentType(ContentType.JSON)
                    .body(Map.of("type", "pause_node", "target", Map.of("node", "replica"), "durationMs", 600_000))
                    .post("/api/v1/instances/" + a + "/faults").then().statusCode(201);
            long stuck = kvsim.api().post("/api/v1/instances/" + a + "/backups").then().statusCode(201)
                    .body("status", equalTo("Running")).extract().jsonPath().getLong("backupJobId");
            Map<String, String> aData = contents(aPort);
            String bId = b.getString("instanceId");
            long backup = kvsim.api().post("/api/v1/instances/" + bId + "/backups?wait=true").then().statusCode(201)
                    .body("status", equalTo("Success")).extract().jsonPath().getLong("backups[0].backupId");
            Map<String, String> backedUp = contents(b.getInt("port"));
            write(b.getInt("port"), "later", 100);
            Map<String, String> later = contents(b.getInt("port"));
            Thread.sleep(300);  // the stuck backup is reading from the paused node
            kvsim.api().contentType(ContentType.JSON).body(Map.of("backupId", backup))
                    .post("/api/v1/instances/" + bId + "/restore").then().statusCode(200);
            kvsim.kill9();

            kvsim.start().awaitReady(START);
            JsonPath failed = kvsim.api().get("/api/v1/instances/" + a + "/backups").then().extract().jsonPath();
            assertEquals("Failed", failed.getString("find { it.backupJobId == " + stuck + " }.status"));
            assertEquals("kvsim stopped during the backup", failed.getString("find { it.backupJobId == " + stuck + " }.error"));
            assertEquals(aData, contents(aPort), "the backed-up instance keeps its data");
            kvsim.api().get("/api/v1/instances/" + bId).then().body("status", equalTo("Normal"));
            Map<String, String> after = contents(b.getInt("port"));
            List<String> bEvents = events(kvsim, bId);
            if (after.equals(backedUp)) {
                assertTrue(bEvents.contains("BackupRestored"), bEvents.toString());
            } else {
                assertEquals(later, after, "fully restored or untouched");
                assertTrue(bEvents.contains("RestoreFailed"), bEvents.toString());
            }
            try (Stream<Path> left = Files.walk(kvsim.dataDir)) {
                assertEquals(List.of(), left.map(Path::toString).filter(p -> p.endsWith(".part") || p.contains(".restore-"))
                        .toList(), "nothing half-made is left");
            }
            int code = kvsim.stop();
            assertTrue(code == 0 || code == 143, "graceful stop exit code " + code);
            assertEquals(List.of(), kvsim.nodeProcesses());
        }
    }

    private static void write(int port, String prefix, int n) {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            for (int i = 0; i < n; i++) {
                j.set(prefix + i, prefix + "-" + i);
            }
        }
    }

    private static Map<String, String> contents(int port) {
        Map<String, String> all = new TreeMap<>();
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            for (String k : j.keys("*")) {
                all.put(k, j.get(k));
            }
        }
        return all;
    }

    private static List<String> events(KvsimProcess kvsim, String id) {
        return kvsim.api().get("/api/v1/instances/" + id + "/events").then().statusCode(200).extract().jsonPath()
                .getList("type", String.class);
    }
}
