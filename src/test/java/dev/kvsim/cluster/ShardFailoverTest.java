package dev.kvsim.cluster;

import dev.kvsim.Instances;
import dev.kvsim.RawClient;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One shard's failover or switchover re-links that shard only (fast HA profile): clients keep their
 * connections; a command in flight on the failing shard closes its client's connection (nobody can
 * tell whether it ran); commands for the shard sent meanwhile wait for its new master.
 */
@QuarkusTest
class ShardFailoverTest extends ClusterInstanceTest {

    private static final String SLOW_SCRIPT = "local t = redis.call('TIME') local stop = t[1] * 1000000 + t[2] + 1500000 "
            + "repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] >= stop return 1";

    ShardFailoverTest() {
        super(2);
    }

    @Test
    void duringOneShardsKillNodeAClientOfTheOtherShardSeesNoErrorAndKeepsItsConnection() throws Exception {
        String calmKey = keyOnShard(1, "calm:");
        String failingKey = keyOnShard(0, "failing:");
        String listKey = keyOnShard(0, "list:");
        try (RawClient calm = new RawClient(port); RawClient idle = new RawClient(port);
             RawClient blocked = new RawClient(port); RawClient scripted = new RawClient(port)) {
            calm.command("SET", calmKey, "0");
            assertEquals("+OK", calm.line());
            idle.command("SET", failingKey, "kept");
            assertEquals("+OK", idle.line());
            idle.command("WAIT", "1", "5000");
            assertEquals(":1", idle.line(), "the replica has it");
            int calmPort = calm.localPort();
            int idlePort = idle.localPort();
            blocked.command("BLPOP", listKey, "0");             // in flight on its own connection to shard 0
            scripted.command("EVAL", SLOW_SCRIPT, "1", failingKey);  // in flight on the shared one
            Instances.sleep(200);
            int events = Instances.eventCount(id);

            AtomicBoolean failedOver = new AtomicBoolean();
            AtomicInteger served = new AtomicInteger();
            CompletableFuture<Void> work = CompletableFuture.runAsync(() -> {
                try {
                    while (!failedOver.get()) {
                        calm.command("INCR", calmKey);
                        assertEquals(":" + (served.get() + 1), calm.line(), "no error, no delay on shard 1");
                        served.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            Instances.fault(id, Map.of("type", "kill_node", "target", Map.of("shard", 0, "node", "master")));
            assertTrue(blocked.closedByServer(), "its BLPOP may or may not have run: the connection closes");
            assertTrue(scripted.closedByServer(), "likewise a command in flight on the shared connection");
            idle.command("GET", failingKey);  // sent before HA has switched: it waits for the new master
            Map<String, Object> failover = Instances.awaitEvent(id, "Failover", events);
            failedOver.set(true);
            work.get(10, TimeUnit.SECONDS);

            assertEquals(0, ((Number) failover.get("shard")).intValue());
            assertEquals("kept", idle.reply(), "answered by shard 0's new master");
            assertTrue(served.get() > 0, "shard 1 served meanwhile");
            calm.command("PING");
            assertEquals("+PONG", calm.line());
            assertEquals(calmPort, calm.localPort(), "the same connection");
            assertEquals(idlePort, idle.localPort(), "the same connection");
            Instances.awaitStatus(id, "Normal");
        }
    }

    @Test
    void aSwitchoverOfOneShardKeepsItsClientsConnectedExceptThoseHoldingStateOnTheOldMaster() throws Exception {
        String key = keyOnShard(0, "sw:");
        try (RawClient idle = new RawClient(port); RawClient subscriber = new RawClient(port)) {
            idle.command("SET", key, "v");
            assertEquals("+OK", idle.line());
            subscriber.command("SUBSCRIBE", "news");
            assertEquals("*3", subscriber.line());
            for (int k = 0; k < 5; k++) {
                subscriber.line();
            }
            idle.command("WAIT", "1", "5000");
            assertEquals(":1", idle.line(), "the replica has it");
            Instances.given().contentType("application/json").body(Map.of("shard", 0))
                    .post("/api/v1/instances/" + id + "/switchover").then().statusCode(200);
            idle.command("GET", key);
            assertEquals("v", idle.reply());
            idle.command("SET", key, "after");
            assertEquals("+OK", idle.line(), "writes reach the new masters");
            assertTrue(subscriber.closedByServer(), "its subscription lived on shard 0's old master");
            Instances.awaitStatus(id, "Normal");
        }
    }
}
