package dev.kvsim.faults;

import dev.kvsim.Instances;
import dev.kvsim.RawClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.kvsim.Instances.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Command faults: an error instead of the command, or the command late; replies stay in order. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandFaultTest {

    private String id;
    private int port;

    @jakarta.inject.Inject
    dev.kvsim.core.KvsimClock clock;

    @BeforeAll
    void create() {
        JsonPath i = Instances.createDual();
        id = i.getString("instanceId");
        port = i.getInt("port");
    }

    @AfterAll
    void delete() {
        Instances.delete(id);
        clock.resetForTests();  // the next test class starts on real time
    }

    @AfterEach
    void reset() {
        given().when().post("/api/v1/faults/reset").then().statusCode(200);
    }

    @Test
    void writesFailReadsWork() {
        Instances.fault(id, Map.of("type", "error_reply", "attributes", Map.of("error", "READONLY"),
                "match", Map.of("commands", List.of("@write"))));
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.set("k", "v"));
            assertEquals("READONLY You can't write against a read only replica.", e.getMessage());
            assertEquals(null, j.get("k"));
            assertEquals(false, j.exists("k"), "nothing was written");
        }
    }

    @Test
    void repliesStayInOrderUnderPipelining() throws Exception {
        Instances.fault(id, Map.of("type", "error_reply", "attributes", Map.of("message", "OOM custom text"),
                "match", Map.of("commands", List.of("incr"), "keyPattern", "hit:*")));
        try (RawClient c = new RawClient(port)) {
            c.pipeline(new String[] {"SET", "miss:1", "a"}, new String[] {"INCR", "hit:1"},
                    new String[] {"INCR", "miss:2"}, new String[] {"GET", "miss:1"});
            assertEquals("+OK", c.line());
            assertEquals("-OOM custom text", c.line());
            assertEquals(":1", c.line());
            assertEquals("a", c.reply());
        }
    }

    @Test
    void delayHoldsTheCommandAndTheOnesAfterIt() throws Exception {
        Instances.fault(id, Map.of("type", "delay", "attributes", Map.of("delayMs", 300),
                "match", Map.of("commands", List.of("GET"))));
        try (RawClient c = new RawClient(port)) {
            long start = System.nanoTime();
            c.pipeline(new String[] {"SET", "d", "1"}, new String[] {"GET", "d"}, new String[] {"SET", "d", "2"},
                    new String[] {"GET", "d"});
            assertEquals("+OK", c.line());
            assertEquals("1", c.reply(), "the delayed GET ran before the SET after it");
            assertEquals("+OK", c.line());
            assertEquals("2", c.reply());
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 600, "two GETs delayed 300 ms each took " + ms + " ms");
        }
    }

    @Test
    void toxicityZeroNeverHitsAndSeededToxicityRepeats() {
        Instances.fault(id, Map.of("type", "error_reply", "toxicity", 0.0, "attributes", Map.of("error", "BUSY")));
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            for (int k = 0; k < 50; k++) {
                j.ping();
            }
        }
        reset();
        assertEquals(hitPattern(), hitPattern(), "the same seed gives the same hits");
    }

    private String hitPattern() {
        String faultId = Instances.fault(id, Map.of("type", "error_reply", "toxicity", 0.5, "seed", 42,
                "attributes", Map.of("error", "LOADING"))).getString("faultId");
        StringBuilder hits = new StringBuilder();
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            for (int k = 0; k < 40; k++) {
                try {
                    j.get("x");
                    hits.append('.');
                } catch (JedisDataException e) {
                    assertTrue(e.getMessage().startsWith("LOADING"));
                    hits.append('x');
                }
            }
        }
        given().when().delete("/api/v1/faults/" + faultId).then().statusCode(204);
        assertTrue(hits.indexOf("x") >= 0 && hits.indexOf(".") >= 0, "toxicity 0.5 hit some: " + hits);
        return hits.toString();
    }

    @Test
    void aFaultEndsByItselfWhenKvsimsClockPassesItsDurationAndShowsInEvents() {
        int events = Instances.eventCount(id);
        String faultId = Instances.fault(id, Map.of("type", "error_reply", "durationMs", 60_000,
                "attributes", Map.of("error", "MASTERDOWN"))).getString("faultId");
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertThrows(JedisDataException.class, j::ping);
            clock.advance(Duration.ofSeconds(59));
            assertThrows(JedisDataException.class, j::ping, "59 of its 60 seconds have passed");
            clock.advance(Duration.ofSeconds(1));
            Map<String, Object> ended = Instances.awaitEvent(id, "FaultEnded", events);
            assertEquals(faultId, ended.get("faultId"));
            assertEquals("duration elapsed", ended.get("reason"));
            assertEquals("PONG", j.ping());
        }
        given().when().get("/api/v1/faults/" + faultId).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("Ended"));
    }

    @Test
    void aFaultStartsWhenKvsimsClockReachesStartAt() {
        String at = clock.now().plus(Duration.ofHours(1)).toString();
        String faultId = Instances.fault(id, Map.of("type", "error_reply", "startAt", at,
                "attributes", Map.of("error", "TRYAGAIN"))).getString("faultId");
        given().when().get("/api/v1/faults/" + faultId).then().body("status", org.hamcrest.Matchers.equalTo("Scheduled"));
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertEquals("PONG", j.ping());
            clock.advance(Duration.ofHours(1));
            Instances.awaitFaultStatus(faultId, "Active");
            JedisDataException e = assertThrows(JedisDataException.class, j::ping);
            assertTrue(e.getMessage().startsWith("TRYAGAIN"));
        }
    }
}
