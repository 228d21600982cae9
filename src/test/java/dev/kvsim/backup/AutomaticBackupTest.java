package dev.kvsim.backup;

import dev.kvsim.Instances;
import dev.kvsim.core.KvsimClock;
import dev.kvsim.instance.InstanceStatus;
import dev.kvsim.instance.InstanceStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.kvsim.Instances.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backup policy on kvsim's clock: an automatic backup in the window the policy names, pruned with its file once
 * its retention has passed; and the admin API's refusals.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutomaticBackupTest {

    @Inject
    KvsimClock clock;

    @Inject
    InstanceStore store;

    @AfterAll
    void putTheClockBack() {
        clock.resetForTests();
    }

    @Test
    void anAutomaticBackupRunsInItsWindowAndGoesAfterItsRetention() {
        // What a class before may have done: a month forward (720 hours at once) and back. The hours go on from
        // the clock's time, not from the month ahead.
        clock.advance(Duration.ofDays(30));
        clock.resetForTests();
        JsonPath i = Instances.createDual();
        String id = i.getString("instanceId");
        try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
            j.set("k", "v");
        }
        try {
            ZonedDateTime in2h = clock.now().atZone(ZoneOffset.UTC).plusHours(2);
            int hour = in2h.getHour();
            String window = String.format("%02d:00Z-%02d:00Z", hour, (hour + 1) % 24);
            // one day a week: the 8 days advanced below make one more backup, not eight
            String day = in2h.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            JsonPath policy = given().contentType(ContentType.JSON)
                    .body(Map.of("preferredBackupTime", window, "preferredBackupPeriod", List.of(day),
                            "backupRetentionPeriod", 7))
                    .put("/api/v1/instances/" + id + "/backup-policy").then().statusCode(200)
                    .body("preferredBackupTime", equalTo(window)).extract().jsonPath();
            Instant opens = Instant.parse(policy.getString("preferredNextBackupTime"));
            assertEquals(hour, opens.atZone(ZoneOffset.UTC).getHour());
            assertEquals(List.of(), backups(id), "nothing before the window");

            clock.advance(Duration.between(clock.now(), opens.plusSeconds(60)));
            Map<String, Object> automatic = awaitBackup(id);
            assertEquals("Automated", automatic.get("mode"));
            Instant started = Instant.parse((String) automatic.get("startedAt"));
            assertTrue(!started.isBefore(opens) && started.isBefore(opens.plusSeconds(3600)),
                    "in its window: " + started);
            assertEquals(started.plus(Duration.ofDays(7)), Instant.parse((String) automatic.get("expiresAt")));
            String file = "/api/v1/backups/" + automatic.get("backupId") + "/file";
            given().get(file).then().statusCode(200);

            clock.advance(Duration.ofDays(8));
            awaitGone("/api/v1/backups/" + automatic.get("backupId"));
            given().get(file).then().statusCode(404).body("code", equalTo("InvalidBackupId.NotFound"));
        } finally {
            Instances.delete(id);
        }
    }

    /** Read from the replica, a backup still holds what the master acknowledged before the request. */
    @Test
    void aBackupWaitsForALaggingReplicaToHaveTheWritesAcknowledgedBeforeIt() {
        JsonPath i = Instances.createDual();
        String id = i.getString("instanceId");
        try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
            Instances.fault(id, Map.of("type", "break_replication", "durationMs", 1500));
            j.set("lagged:k1", "v");  // short: the RDB keeps it as it is (no compression under 20 bytes)
            long backupId = given().post("/api/v1/instances/" + id + "/backups?wait=true").then().statusCode(201)
                    .extract().jsonPath().getLong("backups[0].backupId");
            given().get("/api/v1/backups/" + backupId).then().statusCode(200).body("status", equalTo("Success"));
            byte[] rdb = given().get("/api/v1/backups/" + backupId + "/file").then().statusCode(200).extract().asByteArray();
            assertTrue(new String(rdb, java.nio.charset.StandardCharsets.ISO_8859_1).contains("lagged:k1"),
                    "the write acknowledged before the backup was asked for is in it");
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void refusalsNameWhatIsWrong() {
        JsonPath i = Instances.createDual();
        String id = i.getString("instanceId");
        try {
            given().contentType(ContentType.JSON).body(Map.of("preferredBackupTime", "02:30Z-03:30Z"))
                    .put("/api/v1/instances/" + id + "/backup-policy").then().statusCode(400)
                    .body("code", equalTo("InvalidParameter")).body("message", containsString("preferredBackupTime"));
            given().contentType(ContentType.JSON).body(Map.of("preferredBackupPeriod", List.of("Someday")))
                    .put("/api/v1/instances/" + id + "/backup-policy").then().statusCode(400)
                    .body("message", containsString("Someday"));
            given().contentType(ContentType.JSON).body(Map.of("backupRetentionPeriod", 3))
                    .put("/api/v1/instances/" + id + "/backup-policy").then().statusCode(400)
                    .body("message", allOf(containsString("backupRetentionPeriod"), containsString("between 7 and 730")));
            given().contentType(ContentType.JSON).body(Map.of("retentionDays", 5))
                    .post("/api/v1/instances/" + id + "/backups").then().statusCode(400)
                    .body("message", allOf(containsString("retentionDays"), containsString("between 7 and 730")));
            given().contentType(ContentType.JSON).body("{\"retentionDays\":")
                    .post("/api/v1/instances/" + id + "/backups").then().statusCode(400)
                    .body("code", equalTo("InvalidParameter"));
            given().contentType(ContentType.JSON).body(Map.of("backupId", 987654321))
                    .post("/api/v1/instances/" + id + "/restore").then().statusCode(404)
                    .body("code", equalTo("InvalidBackupId.NotFound"));
            given().contentType(ContentType.JSON).body(Map.of("restoreTime", "2020-01-01T00:00:00Z"))
                    .post("/api/v1/instances/" + id + "/restore").then().statusCode(400)
                    .body("message", containsString("restore time"));
            given().contentType(ContentType.JSON).body(Map.of("restoreTime", "yesterday"))
                    .post("/api/v1/instances/" + id + "/restore").then().statusCode(400)
                    .body("message", containsString("restoreTime"));
            given().get("/api/v1/backups/nope").then().statusCode(404).body("code", equalTo("InvalidBackupId.NotFound"));
            given().get("/api/v1/instances/r-000000000000000000/backups").then().statusCode(404)
                    .body("code", equalTo("InvalidInstanceId.NotFound"));

            long backupId = given().post("/api/v1/instances/" + id + "/backups?wait=true").then().statusCode(201)
                    .extract().jsonPath().getLong("backups[0].backupId");
            // the status a restart shows, set in the store: a real restart may be over before the next call
            store.setStatus(id, InstanceStatus.Rebooting);
            try {
                given().post("/api/v1/instances/" + id + "/backups").then().statusCode(409)
                        .body("code", equalTo("IncorrectDBInstanceState"));
                given().contentType(ContentType.JSON).body(Map.of("backupId", backupId))
                        .post("/api/v1/instances/" + id + "/restore").then().statusCode(409)
                        .body("code", equalTo("IncorrectDBInstanceState"));
            } finally {
                store.setStatus(id, InstanceStatus.Normal);
            }
        } finally {
            Instances.delete(id);
        }
    }

    private static List<Map<String, Object>> backups(String id) {
        return given().get("/api/v1/instances/" + id + "/backups").then().statusCode(200).extract().jsonPath().getList("$");
    }

    /** Waits (up to 20 s) for the instance's first backup to be done. */
    private static Map<String, Object> awaitBackup(String id) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Map<String, Object>> all = backups(id);
            if (!all.isEmpty() && !"Running".equals(all.get(0).get("status"))) {
                assertEquals("Success", all.get(0).get("status"), all.toString());
                return all.get(0);
            }
            Instances.sleep(50);
        }
        throw new AssertionError("no automatic backup of " + id + " within 20 s");
    }

    private static void awaitGone(String path) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (given().get(path).statusCode() != 404) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " still there after 20 s");
            }
            Instances.sleep(50);
        }
    }
}
