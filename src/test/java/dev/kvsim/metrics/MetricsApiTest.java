package dev.kvsim.metrics;

import dev.kvsim.Instances;
import dev.kvsim.RawClient;
import dev.kvsim.core.KvsimClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import static dev.kvsim.Instances.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The monitoring history through {@code GET /api/v1/instances/{id}/metrics}, sampled from a real instance while a
 * Jedis client works on it: command families, keys and memory from the nodes, latency under a delay fault,
 * refusals, a gap where kvsim's clock jumps, the minute history, and the 400s for bad queries.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsApiTest {

    @Inject
    KvsimClock clock;

    @Inject
    MetricsHistory history;

    @Inject
    MinuteStore minutes;

    private String id;
    private int port;

    @BeforeAll
    void createInstance() {
        // 1 MB/s of bandwidth and, once kvsim-qps-limit is on, 50 commands a second: caps a test can reach
        JsonPath i = Instances.create(Map.of("instanceClass", "redis.master.small.default", "password", "Passw0rd!",
                "overrides", Map.of("memoryMb", 64, "bandwidthMBps", 1, "qps", 50)));
        id = i.getString("instanceId");
        port = i.getInt("port");
    }

    @AfterAll
    void cleanUp() {
        Instances.delete(id);
        clock.resetForTests();
    }

    private JsonPath metrics(String query) {
        return given().when().get("/api/v1/instances/" + id + "/metrics?" + query).then().statusCode(200).extract().jsonPath();
    }

    /** Polls the last minute of seconds until {@code check} holds for the answer (up to 10 s). */
    private JsonPath awaitMetrics(String query, Predicate<JsonPath> check) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonPath r = metrics(query);
        while (!check.test(r) && System.nanoTime() < deadline) {
            Instances.sleep(200);
            r = metrics(query);
        }
        assertTrue(check.test(r), r.prettify());
        return r;
    }

    private static double sum(JsonPath r, String key) {
        return r.<Float>getList("values." + key).stream().filter(Objects::nonNull).mapToDouble(Float::doubleValue).sum();
    }

    /**
     * How far a count read back from per-second rates may be off. A rate is per second of real time, over the time
     * between two of the sampler's polls: 1 s give or take its scheduling on a busy machine (a tick 200 ms late
     * makes the window before it 1.2 s and the one after 0.8 s), so the seconds' rates add up to the count within
     * that much. Enough to tell a command counted once from one missed or counted twice.
     */
    private static final double RATE_WINDOW_SLACK = 0.25;

    /** The seconds' rates of {@code key} add up to {@code count} (within {@link #RATE_WINDOW_SLACK}). */
    private static boolean counted(JsonPath r, String key, int count) {
        return Math.abs(sum(r, key) - count) <= count * RATE_WINDOW_SLACK;
    }

    private static void assertCounted(int count, JsonPath r, String key, String what) {
        assertTrue(counted(r, key, count), what + ": " + count + " expected, the seconds' rates add up to " + sum(r, key));
    }

    private static double max(JsonPath r, String key) {
        return r.<Float>getList("values." + key).stream().filter(Objects::nonNull).mapToDouble(Float::doubleValue).max()
                .orElse(0);
    }

    /** Logs in as it connects (before Jedis's CLIENT SETINFO, which would otherwise be refused NOAUTH). */
    private Jedis client() {
        return new Jedis(new redis.clients.jedis.HostAndPort("127.0.0.1", port),
                redis.clients.jedis.DefaultJedisClientConfig.builder().password("Passw0rd!").socketTimeoutMillis(5000).build());
    }

    /** The query's range from this second on: what a test does is not mixed with what others did before it. */
    private String since() {
        return "&from=" + clock.now().minusSeconds(1);
    }

    @Test
    void commandsAreCountedByFamilyAndTheNodesReportKeysAndMemory() {
        String since = since();
        try (Jedis j = client()) {
            for (int k = 0; k < 300; k++) {
                j.set("metrics:" + k, "v" + k);
            }
            for (int k = 0; k < 200; k++) {
                j.get("metrics:" + k);
            }
            for (int k = 0; k < 100; k++) {
                j.ping();
            }
        }
        // every command is counted in the second it ran in: the seconds' rates add up to the counts
        JsonPath r = awaitMetrics("keys=UsedQPS,ReadQPS,WriteQPS,OtherQPS,Keys,UsedMemory,memoryUsage&interval=1s" + since,
                p -> counted(p, "WriteQPS", 300) && counted(p, "ReadQPS", 200)
                        && sum(p, "OtherQPS") >= 100 * (1 - RATE_WINDOW_SLACK) && max(p, "Keys") >= 300);
        assertCounted(300, r, "WriteQPS", "SET is a write");
        assertCounted(200, r, "ReadQPS", "GET is a read");
        assertTrue(sum(r, "OtherQPS") >= 100 * (1 - RATE_WINDOW_SLACK), "PING, AUTH … are other commands");
        assertEquals(sum(r, "ReadQPS") + sum(r, "WriteQPS") + sum(r, "OtherQPS"), sum(r, "UsedQPS"), 1);
        assertTrue(max(r, "Keys") >= 300, "the master's keyspace");
        assertTrue(max(r, "UsedMemory") > 500_000, "the engine's used_memory");
        assertTrue(max(r, "memoryUsage") > 0 && max(r, "memoryUsage") < 100, "used against 64 MB");
        assertEquals("second", r.getString("resolution"));
        assertEquals(Map.of("UsedQPS", "Counts/s", "ReadQPS", "Counts/s", "WriteQPS", "Counts/s", "OtherQPS", "Counts/s",
                "Keys", "Counts", "UsedMemory", "Bytes", "memoryUsage", "%"), r.getMap("units"));

        // the replica copies the keys; it serves no client, so its own commands are replication only
        String replica = Instances.get(id).getString("nodes.find { it.role == 'replica' }.nodeId");
        JsonPath node = awaitMetrics("node=" + replica + "&keys=Keys,CpuUsage" + since, p -> max(p, "Keys") >= 300);
        assertEquals("node", node.getString("level"));
        assertEquals(replica, node.getString("nodeId"));
        assertTrue(node.<Float>getList("values.CpuUsage").stream().anyMatch(Objects::nonNull), "the process's CPU from /proc");
    }

    @Test
    void aDelayFaultShowsInTheLatencyAndABlockingWaitDoesNot() {
        String since = since();
        String fault = Instances.fault(id, Map.of("type", "delay", "attributes", Map.of("delayMs", 250),
                "match", Map.of("commands", List.of("GET")))).getString("faultId");
        try (Jedis j = client()) {
            for (int k = 0; k < 3; k++) {
                j.get("latency:" + k);
            }
        } finally {
            given().delete("/api/v1/faults/" + fault).then().statusCode(204);
        }
        JsonPath r = awaitMetrics("keys=avgRt,maxRt" + since, p -> max(p, "maxRt") >= 250_000);
        assertTrue(max(r, "maxRt") < 2_000_000, "a GET held 250 ms, not seconds: " + max(r, "maxRt"));
        assertTrue(max(r, "avgRt") >= 100_000, "the seconds of the slow GETs average their round trips");

        // BLPOP waits a second for the client's sake: the engine flags it blocking, and it starts no clock
        try (Jedis j = client()) {
            Instances.sleep(1100);  // a second without the slow GETs
            assertEquals(null, j.blpop(1, "nothing:here"));
            j.ping();
        }
        JsonPath quiet = awaitMetrics("keys=maxRt,OtherQPS&from=" + clock.now().minusSeconds(3),
                p -> sum(p, "OtherQPS") >= 1);
        assertTrue(max(quiet, "maxRt") < 500_000, "BLPOP's wait is not latency: " + quiet.prettify());
    }

    @Test
    void refusalsAndThrottlingAreCountedAsTheyHappen() throws Exception {
        String since = since();
        // NOAUTH, a wrong password, a reserved command
        try (RawClient c = new RawClient(port, "127.0.0.1")) {
            assertEquals("-NOAUTH Authentication required.", c.command("GET", "x").line());
            assertEquals("-WRONGPASS invalid username-password pair", c.command("AUTH", "wrong-password").line());
            assertEquals("+OK", c.command("AUTH", "Passw0rd!").line());
            assertTrue(c.command("DEBUG", "SLEEP", "0").line().startsWith("-ERR"), "DEBUG is reserved");
        }
        // a connection from outside the whitelist
        given().contentType(ContentType.JSON).body(Map.of("ips", List.of("10.1.2.3")))
                .put("/api/v1/instances/" + id + "/security-ips/default").then().statusCode(200);
        try (RawClient c = new RawClient(port, "127.0.0.1")) {
            assertEquals("-ERR illegal address", c.command("PING").line());
        } finally {
            given().contentType(ContentType.JSON).body(Map.of("ips", List.of("127.0.0.1")))
                    .put("/api/v1/instances/" + id + "/security-ips/default").then().statusCode(200);
        }
        JsonPath refused = awaitMetrics("keys=AuthRefused,ReservedRefused,WhitelistRefused" + since,
                p -> counted(p, "AuthRefused", 2) && counted(p, "ReservedRefused", 1) && counted(p, "WhitelistRefused", 1));
        assertCounted(2, refused, "AuthRefused", "NOAUTH and WRONGPASS");
        assertCounted(1, refused, "ReservedRefused", "DEBUG");
        assertCounted(1, refused, "WhitelistRefused", "one connection from outside the whitelist");

        // 3 MB through a 1 MB/s cap: the proxy holds the client back, and the inbound rate stays near the cap
        try (Jedis j = client()) {
            byte[] big = new byte[1024 * 1024];
            for (int k = 0; k < 3; k++) {
                j.set(("big:" + k).getBytes(), big);
            }
            j.del("big:0", "big:1", "big:2");
        }
        JsonPath bw = awaitMetrics("keys=BandwidthThrottled,intranetIn,intranetInRatio" + since,
                p -> sum(p, "BandwidthThrottled") > 0.9);
        // at most the bucket's second's worth as a burst plus a second's refill: 2 MB in a second (3 MB unheld would be 3)
        assertTrue(max(bw, "intranetIn") > 300 && max(bw, "intranetIn") < 2048 * (1 + RATE_WINDOW_SLACK),
                "KB/s near the 1 MB/s cap: " + bw.prettify());
        assertTrue(max(bw, "intranetInRatio") > 30, "against the cap");

        // the QPS cap (kvsim-qps-limit on, 50 a second): 200 pipelined GETs are held back
        given().contentType(ContentType.JSON).body(Map.of("kvsim-qps-limit", "yes"))
                .patch("/api/v1/instances/" + id + "/parameters").then().statusCode(200);
        try (Jedis j = client()) {
            var p = j.pipelined();
            for (int k = 0; k < 200; k++) {
                p.get("qps:" + k);
            }
            p.sync();
        } finally {
            given().contentType(ContentType.JSON).body(Map.of("kvsim-qps-limit", "no"))
                    .patch("/api/v1/instances/" + id + "/parameters").then().statusCode(200);
        }
        awaitMetrics("keys=QpsThrottled" + since, p -> sum(p, "QpsThrottled") > 0.9);
    }

    @Test
    void aJumpOfTheClockLeavesAGapAndFinishedMinutesAreStored() {
        try (Jedis j = client()) {
            j.set("minute:a", "1");
        }
        // a second that saw the key (not merely a sample: one taken before the SET counts 0)
        awaitMetrics("keys=Keys", p -> max(p, "Keys") >= 1);
        Instant before = clock.now();
        clock.advance(Duration.ofSeconds(150));
        awaitMetrics("keys=Keys&from=" + clock.now().minusSeconds(5), p -> p.<Float>getList("values.Keys").stream().anyMatch(Objects::nonNull));
        JsonPath r = metrics("keys=Keys,UsedQPS&interval=1s&from=" + before.minusSeconds(20) + "&to=" + clock.now());
        List<Float> keys = r.getList("values.Keys");
        int longestGap = 0;
        int gapEnd = -1;
        int gap = 0;
        for (int i = 0; i < keys.size(); i++) {
            gap = keys.get(i) == null ? gap + 1 : 0;
            if (gap > longestGap) {
                longestGap = gap;
                gapEnd = i;
            }
        }
        assertTrue(longestGap >= 140, "150 s of kvsim's clock passed in an instant: nothing was sampled then (gap "
                + longestGap + ")");
        int gapStart = gapEnd - longestGap + 1;
        assertTrue(keys.subList(0, gapStart).stream().anyMatch(Objects::nonNull), "seconds before the jump are kept");
        assertTrue(keys.subList(gapEnd + 1, keys.size()).stream().anyMatch(Objects::nonNull), "and sampling went on after it");

        // the minutes the clock passed were stored: the minute-level history answers for them
        history.awaitStored();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (minutes.count(id) == 0 && System.nanoTime() < deadline) {
            Instances.sleep(100);
            history.awaitStored();
        }
        JsonPath m = metrics("keys=Keys,maxRt&interval=1m&from=" + before.minusSeconds(600) + "&to=" + clock.now());
        assertEquals("minute", m.getString("resolution"));
        assertEquals(60, m.getInt("intervalSeconds"));
        // a minute's value is the average of its seconds
        assertTrue(m.<Float>getList("values.Keys").stream().anyMatch(v -> v != null && v > 0), m.prettify());
        assertTrue(m.<Float>getList("values.maxRt").stream().anyMatch(Objects::nonNull), m.prettify());

        // a test's reset moves the clock back: sampling goes on at once, not once the clock has caught up
        clock.resetForTests();
        // from the reset on: the seconds sampled before the jump are older, those after it in the clock's future;
        // the instance's series and each node's alike
        Instant reset = clock.now();
        awaitMetrics("keys=Keys&from=" + reset, p -> p.<Float>getList("values.Keys").stream().anyMatch(Objects::nonNull));
        for (String node : Instances.get(id).<String>getList("nodes.nodeId")) {
            awaitMetrics("node=" + node + "&keys=Keys,UsedMemory&from=" + reset,
                    p -> p.<Float>getList("values.UsedMemory").stream().anyMatch(Objects::nonNull));
        }
    }

    @Test
    void badQueriesAreRefusedNamingTheProblem() {
        String path = "/api/v1/instances/" + id + "/metrics";
        given().get(path + "?keys=UsedQPS,Bogus").then().statusCode(400)
                .body("code", org.hamcrest.Matchers.equalTo("InvalidParameter"))
                .body("message", containsString("'Bogus'"));
        given().get(path + "?from=yesterday").then().statusCode(400).body("message", containsString("from must be an ISO-8601"));
        given().get(path + "?to=2026-13-01T00:00:00Z").then().statusCode(400).body("message", containsString("to must be"));
        given().get(path + "?from=2026-11-25T10:00:00Z&to=2026-11-25T09:00:00Z").then().statusCode(400)
                .body("message", containsString("must be before"));
        Instant now = clock.now();
        given().get(path + "?interval=1s&from=" + now.minus(Duration.ofHours(30)) + "&to=" + now).then().statusCode(400)
                .body("message", containsString("Second-level history covers the last hour"));
        given().get(path + "?interval=1m&from=" + now.minus(Duration.ofDays(8)) + "&to=" + now).then().statusCode(400)
                .body("message", containsString("at most 10000"));
        given().get(path + "?interval=90s&from=" + now.minus(Duration.ofHours(3))).then().statusCode(400)
                .body("message", containsString("whole number of minutes"));
        given().get(path + "?interval=soon").then().statusCode(400).body("message", containsString("interval must be a duration"));
        given().get(path + "?node=r-nope-db-0").then().statusCode(400).body("message", containsString("has no node 'r-nope-db-0'"));
        given().get(path + "?shard=3").then().statusCode(400).body("message", containsString("shard must be between 0 and 0"));
        given().get(path + "?shard=1&node=x").then().statusCode(400).body("message", containsString("not both"));
        given().get(path + "?node=" + Instances.master(id, 0) + "&keys=ReadQPS").then().statusCode(400)
                .body("message", containsString("whole instance only"));
        given().get("/api/v1/instances/r-000000000000000000/metrics").then().statusCode(404)
                .body("code", org.hamcrest.Matchers.equalTo("InvalidInstanceId.NotFound"));
        // the default range is the last five minutes in seconds: 300 points at most
        JsonPath r = metrics("keys=UsedQPS");
        assertTrue(r.getList("times").size() >= 300 && r.getList("times").size() <= 301, r.getList("times").size() + " points");
        assertFalse(r.getList("times").isEmpty());
    }

    @Test
    void everyInstanceIsScrapedByPrometheusWithItsLabels() {
        awaitMetrics("keys=UsedConnection", p -> p.<Float>getList("values.UsedConnection").stream().anyMatch(Objects::nonNull));
        String master = Instances.master(id, 0);
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(text.contains("kvsim_ops_per_second{instance=\"" + id + "\",node=\"\",role=\"\",shard=\"\"}"), text);
        assertTrue(text.contains("kvsim_memory_used_bytes{instance=\"" + id + "\",node=\"" + master
                + "\",role=\"master\",shard=\"0\"}"), text);
        // a shard's series is its master's at each second
        assertTrue(text.contains("kvsim_cpu_usage_percent{instance=\"" + id + "\",node=\"\",role=\"master\",shard=\"0\"}"), text);
    }

    @Test
    void theLatestSecondOfEveryInstanceAndTheKeys() {
        awaitMetrics("keys=UsedConnection", p -> p.<Float>getList("values.UsedConnection").stream().anyMatch(Objects::nonNull));
        JsonPath latest = given().get("/api/v1/metrics/latest?keys=UsedQPS,Keys").then().statusCode(200).extract().jsonPath();
        @SuppressWarnings("unchecked")
        Map<String, Object> mine = (Map<String, Object>) latest.getMap("$").get(id);
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) mine.get("values");
        assertEquals(List.of("UsedQPS", "Keys"), List.copyOf(values.keySet()));
        assertTrue(Instant.parse((String) mine.get("at")).isAfter(clock.now().minusSeconds(10)));
        given().get("/api/v1/metrics/latest?keys=nope").then().statusCode(400);
        JsonPath keys = given().get("/api/v1/metrics/keys").then().statusCode(200).extract().jsonPath();
        assertEquals(MetricKey.values().length, keys.getList("$").size());
        assertEquals("us", keys.getString("find { it.key == 'maxRt' }.unit"));
        assertEquals(false, keys.getBoolean("find { it.key == 'ReadQPS' }.node"));
    }
}
