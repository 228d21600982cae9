package dev.kvsim.cluster;

import dev.kvsim.RawClient;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MULTI/EXEC across the shards of a cluster instance: per-shard EXEC, WATCH, queue-time errors, refusals, CROSSSLOT. */
@QuarkusTest
class ClusterTransactionTest extends ClusterInstanceTest {

    private static final String CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot";
    private static final String EXECABORT = "-EXECABORT Transaction discarded because of previous errors.";

    ClusterTransactionTest() {
        super(2);
    }

    /** A key on the same shard as {@code key} but in another slot. */
    private static String otherSlotSameShard(Jedis j, String key, String prefix) {
        String at = where(j, key);
        String shard = at.substring(at.indexOf(' '));
        for (int n = 0; ; n++) {
            String w = where(j, prefix + n);
            if (w.endsWith(shard) && !w.equals(at)) {
                return prefix + n;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> shardKeys(Jedis j, int shard) {
        Object reply = j.sendCommand(() -> "ISCAN".getBytes(), Integer.toString(shard), "0", "COUNT", "1000");
        List<String> keys = new ArrayList<>();
        for (Object k : (List<Object>) ((List<Object>) reply).get(1)) {
            keys.add(new String((byte[]) k));
        }
        return keys;
    }

    @Test
    void eachShardRunsItsPartOfTheTransaction() {
        try (Jedis j = jedis()) {
            String a = keyOnShard(0, "a");
            String b = keyOnShard(1, "b");
            Transaction tx = j.multi();
            tx.set(a, "1");
            tx.set(b, "2");
            tx.incr(a);
            tx.append(b, "x");
            tx.get(a);
            assertEquals(List.of("OK", "OK", 2L, 2L, "2"), tx.exec());
            assertEquals("2", j.get(a));
            assertEquals("2x", j.get(b));
            assertEquals(List.of(a), shardKeys(j, 0));
            assertEquals(List.of(b), shardKeys(j, 1));
        }
    }

    @Test
    void anotherClientCannotInterleaveInsideAShardsTransaction() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Jedis j = jedis(); Jedis other = jedis()) {
            String counter = keyOnShard(0, "counter");
            Thread writer = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        other.incr(counter);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            writer.start();
            try {
                for (int round = 0; round < 5; round++) {
                    Transaction tx = j.multi();
                    for (int n = 0; n < 1000; n++) {
                        tx.incr(counter);
                    }
                    List<Object> results = tx.exec();
                    long start = (Long) results.get(0);
                    for (int n = 1; n < results.size(); n++) {
                        assertEquals(start + n, results.get(n), "round " + round + ": another INCR ran inside");
                    }
                }
            } finally {
                stop.set(true);
                writer.join(10_000);
            }
            assertNull(failure.get());
            assertTrue(Long.parseLong(j.get(counter)) > 5000, "the other client's INCRs ran too");
        }
    }

    @Test
    void aWatchedKeyChangedOnAShardWithNothingQueuedMakesExecNilAndNothingRuns() {
        try (Jedis j = jedis(); Jedis other = jedis()) {
            String watchedKey = keyOnShard(0, "w");
            String x = keyOnShard(1, "x");
            j.watch(watchedKey);
            other.set(watchedKey, "changed");
            Transaction tx = j.multi();
            tx.set(x, "1");
            assertNull(tx.exec());
            assertFalse(j.exists(x), "the other shard's part did not run");
        }
    }

    /** Raw commands: Jedis sends an UNWATCH of its own after EXEC, which would hide a watch left behind. */
    @Test
    void execClearsTheWatchesOnEveryShard() throws Exception {
        try (Jedis other = jedis(); RawClient c = new RawClient(port)) {
            String watchedKey = keyOnShard(0, "w");
            String sameShard = keyOnShard(0, "s");
            String x = keyOnShard(1, "x");
            c.pipeline(new String[] {"WATCH", watchedKey}, new String[] {"MULTI"}, new String[] {"SET", x, "1"},
                    new String[] {"EXEC"});
            assertEquals(List.of("+OK", "+OK", "+QUEUED", "*1", "+OK"), List.of(c.line(), c.line(), c.line(), c.line(), c.line()),
                    "an unchanged watched key lets EXEC run");
            other.set(watchedKey, "changed after EXEC");
            c.pipeline(new String[] {"MULTI"}, new String[] {"SET", sameShard, "2"}, new String[] {"EXEC"});
            assertEquals(List.of("+OK", "+QUEUED", "*1", "+OK"), List.of(c.line(), c.line(), c.line(), c.line()),
                    "the first EXEC cleared the watch on the shard with nothing queued");
            assertEquals("2", other.get(sameShard));
        }
    }

    @Test
    void unwatchInsideMultiIsQueuedAndAnswersOk() throws Exception {
        try (Jedis j = jedis(); RawClient c = new RawClient(port)) {
            String x = keyOnShard(1, "x");
            c.pipeline(new String[] {"MULTI"}, new String[] {"UNWATCH"}, new String[] {"SET", x, "1"}, new String[] {"EXEC"});
            assertEquals(List.of("+OK", "+QUEUED", "+QUEUED", "*2", "+OK", "+OK"),
                    List.of(c.line(), c.line(), c.line(), c.line(), c.line(), c.line()));
        }
    }

    /** The commands after an EXEC that waits on its watched shards run after it, in order. */
    @Test
    void aPipelineAfterAWatchedExecRunsInOrder() throws Exception {
        try (Jedis j = jedis(); RawClient c = new RawClient(port)) {
            String watchedKey = keyOnShard(0, "w");
            String x = keyOnShard(1, "x");
            c.pipeline(new String[] {"WATCH", watchedKey}, new String[] {"MULTI"}, new String[] {"SET", x, "a"},
                    new String[] {"EXEC"}, new String[] {"MULTI"}, new String[] {"APPEND", x, "b"}, new String[] {"EXEC"},
                    new String[] {"MULTI"}, new String[] {"GET", x}, new String[] {"EXEC"});
            List<String> lines = new ArrayList<>();
            for (int n = 0; n < 14; n++) {
                lines.add(c.line());
            }
            assertEquals(List.of("+OK", "+OK", "+QUEUED", "*1", "+OK", "+OK", "+QUEUED", "*1", ":2",
                    "+OK", "+QUEUED", "*1", "$2", "ab"), lines);
            assertEquals("ab", j.get(x));
        }
    }

    @Test
    void quitInsideMultiClosesTheConnection() throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.pipeline(new String[] {"MULTI"}, new String[] {"QUIT"});
            assertEquals("+OK", c.line());
            assertEquals("+OK", c.line());
            // EOF, not the read timeout (closedByServer() would accept both)
            assertEquals("connection closed", assertThrows(IOException.class, c::line).getMessage());
        }
    }

    @Test
    void errorsTheEngineFindsWhenQueuingAbortTheWholeTransaction() throws Exception {
        try (Jedis j = jedis(); RawClient c = new RawClient(port)) {
            String a = keyOnShard(0, "a");
            String b = keyOnShard(1, "b");
            c.command("MULTI");
            assertEquals("+OK", c.line());
            c.command("SET", a, "1");
            assertEquals("+QUEUED", c.line());
            c.command("SET", b);
            assertEquals("-ERR wrong number of arguments for 'set' command", c.line());
            c.command("NOSUCH", b, "x");
            assertEquals("-ERR unknown command 'NOSUCH', with args beginning with: '" + b + "' 'x' ", c.line());
            c.command("OBJECT", "NOPE", b);
            assertEquals("-ERR unknown subcommand 'NOPE'. Try OBJECT HELP.", c.line());
            c.command("OBJECT", "ENCODING");
            assertEquals("-ERR wrong number of arguments for 'object|encoding' command", c.line());
            c.command("SET", b, "2");
            assertEquals("+QUEUED", c.line());
            c.command("EXEC");
            assertEquals(EXECABORT, c.line());
            assertFalse(j.exists(a), "nothing ran on shard 0");
            assertFalse(j.exists(b), "nothing ran on shard 1");
        }
    }

    @Test
    void keylessCommandsAreRefusedInsideMultiWithTheProxysText() throws Exception {
        List<String[]> keyless = List.of(new String[] {"SCAN", "0"}, new String[] {"PUBLISH", "ch", "m"},
                new String[] {"SUBSCRIBE", "ch"}, new String[] {"EVAL", "return 1", "1", "k"}, new String[] {"INFO"},
                new String[] {"CONFIG", "GET", "maxmemory"}, new String[] {"FLUSHALL"}, new String[] {"AUTH", "pw"},
                new String[] {"KEYS", "*"});
        try (Jedis j = jedis(); RawClient c = new RawClient(port)) {
            c.command("MULTI");
            assertEquals("+OK", c.line());
            c.command("SET", "k", "v");
            assertEquals("+QUEUED", c.line());
            for (String[] cmd : keyless) {
                c.command(cmd);
                assertEquals("-ERR '" + cmd[0] + "' inside MULTI is not allowed on cluster instances: "
                        + "only commands with keys can be queued", c.line());
            }
            c.command("EXEC");
            assertEquals(EXECABORT, c.line());
            assertFalse(j.exists("k"));
        }
    }

    @Test
    void aReservedCommandInsideMultiIsRefusedAndAbortsTheTransaction() throws Exception {
        try (Jedis j = jedis(); RawClient c = new RawClient(port)) {
            String a = keyOnShard(0, "a");
            c.command("MULTI");
            assertEquals("+OK", c.line());
            c.command("SET", a, "1");
            assertEquals("+QUEUED", c.line());
            c.command("DEBUG", "SLEEP", "0");
            assertEquals("-ERR command debug not support for normal user", c.line());
            c.command("EXEC");
            assertEquals(EXECABORT, c.line());
            assertFalse(j.exists(a));
        }
    }

    @Test
    void aCommandWhoseOwnKeysSpanSlotsFailsAloneInsideMulti() {
        try (Jedis j = jedis()) {
            String a = keyOnShard(0, "a");
            String sameShard = otherSlotSameShard(j, a, "s");
            String b = keyOnShard(1, "b");
            Transaction tx = j.multi();
            tx.set(a, "1");
            tx.mset(a, "2", b, "2");
            tx.rename(a, sameShard);
            tx.set(b, "3");
            List<Object> results = tx.exec();
            assertEquals("OK", results.get(0));
            assertEquals(CROSSSLOT, ((JedisDataException) results.get(1)).getMessage());
            assertEquals(CROSSSLOT, ((JedisDataException) results.get(2)).getMessage());
            assertEquals("OK", results.get(3));
            assertEquals("1", j.get(a));
            assertEquals("3", j.get(b));
            assertFalse(j.exists(sameShard));
        }
    }

    @Test
    void keysOnOneShardInDifferentSlotsAreCrossslotOutsideMulti() {
        try (Jedis j = jedis()) {
            String src = keyOnShard(0, "src");
            String dst = otherSlotSameShard(j, src, "dst");
            assertNotEquals(where(j, src), where(j, dst));
            j.rpush(src, "m");
            j.sadd(src + "-set", "m");
            String setDst = otherSlotSameShard(j, src + "-set", "setdst");
            assertEquals(CROSSSLOT, message(() -> j.rename(src, dst)));
            assertEquals(CROSSSLOT, message(() -> j.sendCommand(() -> "LMOVE".getBytes(), src, dst, "LEFT", "RIGHT")));
            assertEquals(CROSSSLOT, message(() -> j.smove(src + "-set", setDst, "m")));
            assertEquals(List.of("m"), j.lrange(src, 0, -1));
            assertFalse(j.exists(dst));
            assertFalse(j.exists(setDst));
        }
    }

    private static String message(Runnable r) {
        try {
            r.run();
        } catch (JedisDataException e) {
            return e.getMessage();
        }
        return "no error";
    }
}
