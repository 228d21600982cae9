package dev.kvsim.ha;

import dev.kvsim.Instances;
import dev.kvsim.RawClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A master busy in a script is alive (fast HA profile): the engine answers BUSY after its 5 s
 * threshold, HA sends SCRIPT KILL once the node has been without a usable answer for hung-after
 * (3 s here), and fails the master over only when the script cannot be killed because it wrote.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BusyScriptTest {

    /** Runs for ARGV[1] ms of the engine's own clock; KEYS[1], when given, is written first. */
    private static final String BUSY = "if #KEYS > 0 then redis.call('SET', KEYS[1], 'written') end "
            + "local t = redis.call('TIME') local stop = t[1] * 1000 + math.floor(t[2] / 1000) + tonumber(ARGV[1]) "
            + "repeat t = redis.call('TIME') until t[1] * 1000 + math.floor(t[2] / 1000) >= stop return 'done'";

    private String id;
    private int port;

    @BeforeAll
    void createInstance() {
        JsonPath i = Instances.createDual();
        id = i.getString("instanceId");
        port = i.getInt("port");
    }

    @AfterAll
    void deleteInstance() {
        Instances.delete(id);
    }

    @Test
    void anEightSecondScriptAnswersBusyAfterFiveSecondsAndIsKilledNotFailedOver() throws Exception {
        int events = Instances.eventCount(id);
        long start = System.nanoTime();
        CompletableFuture<String> script = eval(0);
        Instances.sleep(500);
        String busy;
        try (RawClient other = new RawClient(port)) {
            other.command("PING");
            busy = other.line();
        }
        long busyAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.", busy);
        assertTrue(busyAfterMs >= 4_500, "the engine answers BUSY after its 5 s threshold, here after " + busyAfterMs + " ms");

        assertTrue(script.get(20, TimeUnit.SECONDS).contains("Script killed by user with SCRIPT KILL"));
        Map<String, Object> killed = Instances.awaitEvent(id, "ScriptKilled", events);
        assertEquals("SCRIPT KILL", killed.get("command"));
        assertEquals("OK", killed.get("reply"));
        assertTrue(((Number) killed.get("busyForMs")).longValue() >= 3_000, "after hung-after without an answer");
        assertEquals(List.of("ScriptKilled"), typesSince(events), "no failover");
        assertEquals("Normal", Instances.get(id).getString("status"));
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertEquals("PONG", j.ping());
        }
    }

    @Test
    void aBusyScriptThatWroteCannotBeKilledAndItsMasterIsFailedOver() throws Exception {
        String oldMaster = Instances.master(id, 0);
        int events = Instances.eventCount(id);
        CompletableFuture<String> script = eval(1);
        Map<String, Object> failover = Instances.awaitEvent(id, "Failover", events);
        assertEquals("node busy in a script that wrote (UNKILLABLE)", failover.get("reason"));
        assertEquals(oldMaster, failover.get("oldMaster"));
        assertTrue(script.get(20, TimeUnit.SECONDS).startsWith("closed"), "its connection closed with the old master");
        Map<String, Object> killed = Instances.awaitEvent(id, "ScriptKilled", events);
        assertTrue(String.valueOf(killed.get("reply")).startsWith("UNKILLABLE"));
        Instances.awaitStatus(id, "Normal");
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertEquals("PONG", j.ping());
        }
    }

    /** EVAL of the busy script for 8 s, with {@code keys} (0 or 1) written first: its answer or error, or "closed". */
    private CompletableFuture<String> eval(int keys) {
        return CompletableFuture.supplyAsync(() -> {
            try (Jedis j = new Jedis("127.0.0.1", port, 20_000)) {
                return String.valueOf(keys == 0 ? j.eval(BUSY, 0, "8000") : j.eval(BUSY, 1, "busy:key", "8000"));
            } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                return e.getMessage();
            } catch (JedisException e) {
                return "closed: " + e.getMessage();
            }
        });
    }

    private List<String> typesSince(int events) {
        List<String> types = Instances.given().get("/api/v1/instances/" + id + "/events").then().statusCode(200)
                .extract().jsonPath().getList("type");
        return types.subList(events, types.size());
    }
}
