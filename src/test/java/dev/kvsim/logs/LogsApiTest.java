package dev.kvsim.logs;

import dev.kvsim.Instances;
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
import java.util.function.Predicate;

import static dev.kvsim.Instances.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The slow log and the running log through {@code /api/v1}: a real node's SLOWLOG entries (with node, shard and
 * role), its own log lines beside kvsim's events, stamped with kvsim's clock, and the 400s for bad filters.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogsApiTest {

    @Inject
    KvsimClock clock;

    private String id;
    private int port;

    @BeforeAll
    void createInstance() {
        JsonPath i = Instances.createDual();
        id = i.getString("instanceId");
        port = i.getInt("port");
        // every command is slow from now on: the engine logs each one in its SLOWLOG
        given().contentType(ContentType.JSON).body(Map.of("slowlog-log-slower-than", "0"))
                .patch("/api/v1/instances/" + id + "/parameters").then().statusCode(200);
    }

    @AfterAll
    void cleanUp() {
        Instances.delete(id);
        clock.resetForTests();
    }

    private JsonPath await(String path, Predicate<JsonPath> check) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonPath r = given().get(path).then().statusCode(200).extract().jsonPath();
        while (!check.test(r) && System.nanoTime() < deadline) {
            Instances.sleep(200);
            r = given().get(path).then().statusCode(200).extract().jsonPath();
        }
        assertTrue(check.test(r), r.prettify());
        return r;
    }

    @Test
    void slowCommandsComeFromTheMasterWithTheirNodeAndShard() {
        try (Jedis j = new Jedis("127.0.0.1", port, 5000)) {
            j.set("slow:key", "value");
        }
        String master = Instances.master(id, 0);
        String replica = Instances.get(id).getString("nodes.find { it.role == 'replica' }.nodeId");
        // the master ran it for the client, the replica again from the replication stream: each logged it
        JsonPath r = await("/api/v1/instances/" + id + "/slow-log?keyword=slow:key",
                p -> p.getList("nodeId").containsAll(List.of(master, replica)));
        Map<String, Object> record = r.getMap("find { it.nodeId == '" + master + "' }");
        assertEquals(List.of("SET", "slow:key", "value"), record.get("command"));
        assertEquals(0, record.get("shard"));
        assertEquals("master", record.get("role"));
        assertTrue(((Number) record.get("durationUs")).longValue() >= 0);
        assertTrue(Instant.parse((String) record.get("executedAt")).isAfter(clock.now().minusSeconds(60)));
        assertTrue(((String) record.get("clientAddress")).startsWith("127.0.0.1:"), "the proxy's connection to the node");
        // kvsim's own polling (INFO, SLOWLOG) is not in it
        JsonPath all = given().get("/api/v1/instances/" + id + "/slow-log").then().statusCode(200).extract().jsonPath();
        assertTrue(all.<List<String>>getList("command").stream().noneMatch(c -> c.get(0).equalsIgnoreCase("SLOWLOG")),
                all.prettify());
        assertEquals("replica", r.getString("find { it.nodeId == '" + replica + "' }.role"));
        // filters: one node, a range before it happened
        assertEquals(List.of(master), given().get("/api/v1/instances/" + id + "/slow-log?keyword=slow:key&node=" + master)
                .then().statusCode(200).extract().jsonPath().getList("nodeId"));
        assertTrue(given().get("/api/v1/instances/" + id + "/slow-log?keyword=slow:key&to=" + clock.now().minusSeconds(600))
                .then().statusCode(200).extract().jsonPath().getList("$").isEmpty());
    }

    @Test
    void theRunningLogHasKvsimsEventsAndTheNodesOwnLinesOnKvsimsClock() {
        JsonPath r = await("/api/v1/instances/" + id + "/running-log",
                p -> p.getList("content").stream().anyMatch(c -> ((String) c).startsWith("InstanceCreated "))
                        && p.getList("content").stream().anyMatch(c -> ((String) c).contains("Ready to accept connections")));
        assertEquals("kvsim", r.getString("find { it.content.startsWith('InstanceCreated ') }.source"));
        Map<String, Object> ready = r.getMap("find { it.content.contains('Ready to accept connections') }");
        assertEquals("node", ready.get("source"));
        assertEquals("notice", ready.get("level"));
        assertTrue(List.of("master", "replica").contains(ready.get("role")));
        List<Instant> times = r.<String>getList("at").stream().map(Instant::parse).toList();
        assertEquals(times.stream().sorted().toList(), times, "oldest first");

        // a node line written after a jump of kvsim's clock is stamped on kvsim's clock, after the jump
        Instant jump = clock.now().plus(Duration.ofHours(2));
        clock.advance(Duration.ofHours(2));
        given().contentType(ContentType.JSON).body(Map.of("hz", "20"))
                .patch("/api/v1/instances/" + id + "/parameters").then().statusCode(200);  // an event, kvsim's
        String replica = Instances.get(id).getString("nodes.find { it.role == 'replica' }.nodeId");
        given().contentType(ContentType.JSON).body(Map.of("readOnlyMs", 0))
                .post("/api/v1/instances/" + id + "/switchover").then().statusCode(200);  // the replica logs its promotion
        JsonPath after = await("/api/v1/instances/" + id + "/running-log?source=node&node=" + replica + "&from=" + jump.minusSeconds(5),
                p -> p.getList("content").stream().anyMatch(c -> ((String) c).contains("MASTER MODE enabled")));
        assertTrue(after.<String>getList("at").stream().map(Instant::parse).allMatch(t -> t.isAfter(jump.minusSeconds(5))));
        JsonPath events = given().get("/api/v1/instances/" + id + "/running-log?source=kvsim&keyword=parameterschanged")
                .then().statusCode(200).extract().jsonPath();
        assertTrue(events.getList("content").stream().anyMatch(c -> ((String) c).contains("\"hz\":\"20\"")), events.prettify());
        assertTrue(given().get("/api/v1/instances/" + id + "/running-log?role=master&source=kvsim").then()
                .statusCode(200).extract().jsonPath().getList("$").isEmpty(), "kvsim's events have no role");
    }

    @Test
    void badFiltersAreRefusedNamingTheProblem() {
        String base = "/api/v1/instances/" + id;
        given().get(base + "/running-log?from=noon").then().statusCode(400).body("message", containsString("from must be an ISO-8601"));
        given().get(base + "/slow-log?from=2026-11-25T10:00:00Z&to=2026-11-25T09:00:00Z").then().statusCode(400)
                .body("message", containsString("must be before its end"));
        given().get(base + "/running-log?node=r-nope").then().statusCode(400).body("message", containsString("has no node 'r-nope'"));
        given().get(base + "/running-log?source=proxy").then().statusCode(400).body("message", containsString("source must be kvsim or node"));
        given().get(base + "/running-log?role=slave").then().statusCode(400).body("message", containsString("role must be master or replica"));
        given().get(base + "/slow-log?limit=0").then().statusCode(400).body("message", containsString("limit must be between 1 and 10000"));
        given().get(base + "/slow-log?limit=lots").then().statusCode(400);
        given().get("/api/v1/instances/r-000000000000000000/running-log").then().statusCode(404);
        assertEquals(1, given().get(base + "/running-log?limit=1").then().statusCode(200).extract().jsonPath().getList("$").size());
    }
}
