package dev.kvsim.commands;

import dev.kvsim.RedisServerProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The key positions kvsim reads from the engine's COMMAND table, against what the engine itself
 * answers (COMMAND GETKEYS) for a sample of every key-spec form.
 */
class KeySpecsTest {

    /** Sample commands whose keys must be exactly what the engine's COMMAND GETKEYS answers. */
    private static final List<List<String>> SAMPLES = List.of(
            c("GET", "k"),
            c("get", "k"),
            c("SET", "k", "v", "EX", "10", "NX", "GET"),
            c("SET", "k", "v", "KEEPTTL", "XX"),
            c("MSET", "a", "1", "b", "2", "c", "3"),
            c("MSETNX", "a", "1", "b", "2"),
            c("MGET", "a", "b", "c"),
            c("DEL", "a", "b", "c", "d"),
            c("HSET", "h", "f1", "v1", "f2", "v2"),
            c("HGETALL", "h"),
            c("LPUSH", "l", "x", "y", "z"),
            c("BLPOP", "l1", "l2", "l3", "0"),
            c("BRPOPLPUSH", "src", "dst", "1.5"),
            c("RPOPLPUSH", "src", "dst"),
            c("LMOVE", "src", "dst", "LEFT", "RIGHT"),
            c("BLMOVE", "src", "dst", "LEFT", "RIGHT", "0"),
            c("SMOVE", "src", "dst", "m"),
            c("SUNIONSTORE", "dst", "s1", "s2", "s3"),
            c("SINTERSTORE", "dst", "s1"),
            c("ZADD", "z", "NX", "CH", "1", "a", "2", "b"),
            c("ZRANGESTORE", "dst", "src", "0", "-1", "REV"),
            c("RENAME", "a", "b"),
            c("COPY", "a", "b", "DB", "0", "REPLACE"),
            c("OBJECT", "ENCODING", "k"),
            c("object", "freq", "k"),
            c("MEMORY", "USAGE", "k", "SAMPLES", "5"),
            c("XINFO", "STREAM", "s", "FULL"),
            c("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"),
            c("XADD", "s", "MAXLEN", "~", "100", "*", "f", "v"),
            c("XREAD", "COUNT", "10", "BLOCK", "0", "STREAMS", "s1", "s2", "0", "$"),
            c("XREAD", "STREAMS", "s", "0"),
            c("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "NOACK", "STREAMS", "s1", "s2", ">", ">"),
            c("XREADGROUP", "GROUP", "streams", "streams", "STREAMS", "streams", "0"),
            c("EVAL", "return 1", "2", "k1", "k2", "a1", "a2"),
            c("EVAL", "return 1", "0"),
            c("EVAL", "return 1", "0", "notakey"),
            c("EVAL_RO", "return 1", "1", "k1"),
            c("EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "1", "k1", "a"),
            c("EVALSHA_RO", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "2", "k1", "k2"),
            c("FCALL", "f", "2", "k1", "k2", "arg"),
            c("FCALL_RO", "f", "1", "k1"),
            c("ZUNIONSTORE", "dst", "2", "z1", "z2", "WEIGHTS", "1", "2", "AGGREGATE", "MAX"),
            c("ZINTERSTORE", "dst", "1", "z1"),
            c("ZDIFFSTORE", "dst", "3", "z1", "z2", "z3"),
            c("ZUNION", "2", "z1", "z2", "WITHSCORES"),
            c("ZINTER", "3", "z1", "z2", "z3", "AGGREGATE", "MIN"),
            c("ZDIFF", "2", "z1", "z2"),
            c("SINTERCARD", "3", "s1", "s2", "s3", "LIMIT", "5"),
            c("ZINTERCARD", "2", "z1", "z2"),
            c("LMPOP", "2", "l1", "l2", "LEFT", "COUNT", "3"),
            c("ZMPOP", "1", "z1", "MIN"),
            c("BLMPOP", "0.5", "2", "l1", "l2", "RIGHT"),
            c("BZMPOP", "1", "3", "z1", "z2", "z3", "MAX", "COUNT", "2"),
            c("SORT", "src", "BY", "w_*", "LIMIT", "0", "10", "GET", "#", "GET", "o_*", "DESC", "ALPHA", "STORE", "dst"),
            c("SORT", "src", "STORE", "d1", "STORE", "d2"),
            c("SORT", "src", "ALPHA"),
            c("SORT_RO", "src", "BY", "w_*", "GET", "#"),
            c("GEORADIUS", "g", "15", "37", "200", "km", "WITHDIST", "COUNT", "5", "ASC", "STORE", "dst"),
            c("GEORADIUS", "g", "15", "37", "200", "km", "STORE", "a", "STOREDIST", "b"),
            c("GEORADIUS", "g", "15", "37", "200", "km", "WITHCOORD"),
            c("GEORADIUSBYMEMBER", "g", "m", "100", "km", "STOREDIST", "dst"),
            c("GEOSEARCHSTORE", "dst", "src", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"),
            c("MIGRATE", "host", "6379", "", "0", "5000", "COPY", "REPLACE", "AUTH", "pw", "KEYS", "a", "b", "c"),
            c("MIGRATE", "host", "6379", "", "0", "5000", "AUTH2", "user", "pw", "KEYS", "a"),
            c("MIGRATE", "host", "6379", "k", "0", "5000", "REPLACE"),
            c("PING", "hello"),
            c("INFO", "server"),
            c("CONFIG", "GET", "maxmemory"),
            c("CLIENT", "SETNAME", "x"),
            c("PUBLISH", "ch", "msg"),
            c("SUBSCRIBE", "ch1", "ch2"),
            c("WATCH", "a", "b"),
            c("EXISTS", "a", "b", "c"),
            c("TOUCH", "a", "b"),
            c("UNLINK", "a", "b"),
            c("BITOP", "AND", "dst", "s1", "s2"),
            c("BITCOUNT", "k", "0", "-1"),
            c("PFMERGE", "dst", "s1", "s2"),
            c("PFCOUNT", "h1", "h2"),
            c("GETEX", "k", "PERSIST"),
            c("LCS", "k1", "k2", "LEN"),
            c("EXPIRE", "k", "10", "NX"),
            c("RESTORE", "k", "0", "payload", "REPLACE"),
            c("SMISMEMBER", "s", "a", "b"));

    private static RedisServerProcess server;
    private static int port;
    private static Vertx vertx;
    private static Redis resp3;
    private static Redis resp2;
    private static Response commandReply;
    private static KeySpecs specs;

    @BeforeAll
    static void startServer() throws Exception {
        server = RedisServerProcess.start();
        port = server.port();
        vertx = Vertx.vertx();
        String uri = "redis://127.0.0.1:" + port;
        resp3 = Redis.createClient(vertx, uri);
        resp2 = Redis.createClient(vertx, new RedisOptions().setConnectionString(uri)
                .setPreferredProtocolVersion(ProtocolVersion.RESP2));
        commandReply = send(resp3, Request.cmd(Command.COMMAND));
        specs = KeySpecs.fromCommandReply(commandReply);
    }

    @AfterAll
    static void stopServer() throws Exception {
        try {
            if (resp3 != null) {
                resp3.close();
            }
            if (resp2 != null) {
                resp2.close();
            }
            if (vertx != null) {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void samplesMatchCommandGetkeys() throws Exception {
        assertTrue(SAMPLES.size() >= 40);
        for (List<String> cmd : SAMPLES) {
            int[] indexes = specs.keyIndexes(bytes(cmd));
            assertNotNull(indexes, () -> "no answer for " + cmd);
            assertEquals(engineKeys(cmd), values(cmd, indexes), () -> "keys of " + cmd);
        }
    }

    /** Every ordinary command and subcommand, with placeholder arguments (GETKEYS checks only the arity). */
    @Test
    void everyCommandWithFixedKeysMatchesCommandGetkeys() throws Exception {
        int checked = 0;
        for (Response entry : commandReply) {
            List<Response> list = new ArrayList<>();
            list.add(entry);
            if (entry.size() > 9 && entry.get(9) != null) {
                entry.get(9).forEach(list::add);
            }
            for (Response e : list) {
                String name = e.get(0).toString();
                int arity = e.get(1).toInteger();
                boolean container = e.size() > 9 && e.get(9) != null && e.get(9).size() > 0;
                // Shard channels are routed as keys though GETKEYS calls them no keys (see KeySpecs).
                if (container || specs.hasFlag(name, "movablekeys")
                        || Set.of("spublish", "ssubscribe", "sunsubscribe").contains(name)) {
                    continue;
                }
                for (int extra = 0; extra <= (arity < 0 ? 3 : 0); extra++) {
                    List<String> cmd = new ArrayList<>(Arrays.asList(name.split("\\|")));
                    while (cmd.size() < Math.abs(arity) + extra) {
                        cmd.add("a" + cmd.size());
                    }
                    if (cmd.size() < 2 || (name.equals("pfmerge") && cmd.size() == 2)) {
                        continue; // GETKEYS needs an argument; PFMERGE dst: see reportedDifferences
                    }
                    int[] indexes = specs.keyIndexes(bytes(cmd));
                    assertNotNull(indexes, () -> "no answer for " + cmd);
                    assertEquals(engineKeys(cmd), values(cmd, indexes), () -> "keys of " + cmd);
                    checked++;
                }
            }
        }
        assertTrue(checked > 200, "checked " + checked);
    }

    /** Where this class deliberately answers differently from Redis 7.0's COMMAND GETKEYS. */
    @Test
    void reportedDifferences() {
        // not_key specs: GETKEYS says "no key arguments", the cluster routes by the channel.
        assertArrayEquals(new int[] {1}, keys("SPUBLISH", "ch", "msg"));
        assertArrayEquals(new int[] {1, 2}, keys("SSUBSCRIBE", "ch1", "ch2"));
        assertArrayEquals(new int[] {1, 2}, keys("sunsubscribe", "ch1", "ch2"));
        // GETKEYS rejects PFMERGE with no source keys (empty second key spec); the destination is still a key.
        assertArrayEquals(new int[] {1}, keys("PFMERGE", "dst"));
        // GETKEYS lists key-spec order (STORE before STOREDIST); here arguments stay in order.
        assertArrayEquals(new int[] {1, 7, 9}, keys("GEORADIUS", "g", "1", "2", "3", "km", "STOREDIST", "b", "STORE", "a"));
        // GETKEYS takes only the first STORE; GEORADIUS writes to the last one, so both are listed.
        assertArrayEquals(new int[] {1, 7, 9}, keys("GEORADIUS", "g", "1", "2", "3", "km", "STORE", "a", "STORE", "b"));
    }

    @Test
    void malformedArgumentsNeverThrow() {
        assertArrayEquals(new int[0], keys("EVAL", "s", "x", "k"));
        assertArrayEquals(new int[0], keys("EVAL", "s", "-1", "k"));
        assertArrayEquals(new int[0], keys("EVAL", "s", "01", "k"));
        assertArrayEquals(new int[0], keys("EVAL", "s", "3", "k1", "k2"));
        assertArrayEquals(new int[0], keys("EVAL", "s", "99999999999999999999", "k"));
        assertArrayEquals(new int[0], keys("EVAL"));
        assertArrayEquals(new int[0], keys("FCALL", "f"));
        assertArrayEquals(new int[] {1}, keys("ZUNIONSTORE", "dst", "x", "z1"));
        assertArrayEquals(new int[] {1}, keys("ZUNIONSTORE", "dst"));
        assertArrayEquals(new int[0], keys("ZUNIONSTORE"));
        assertArrayEquals(new int[0], keys("LMPOP", "5", "l1", "LEFT"));
        assertArrayEquals(new int[0], keys("BLMPOP", "0"));
        assertArrayEquals(new int[0], keys("XREAD", "STREAMS", "s1", "s2", "0"));
        assertArrayEquals(new int[0], keys("XREAD", "STREAMS"));
        assertArrayEquals(new int[0], keys("XREAD", "COUNT"));
        assertArrayEquals(new int[0], keys("XREADGROUP", "BOGUS", "STREAMS", "s", "0"));
        assertArrayEquals(new int[0], keys("SORT"));
        assertArrayEquals(new int[] {1}, keys("SORT", "k", "STORE"));
        assertArrayEquals(new int[] {1}, keys("SORT", "k", "LIMIT"));
        assertArrayEquals(new int[0], keys("GEORADIUS"));
        assertArrayEquals(new int[] {1}, keys("GEORADIUS", "g", "1", "2", "3", "km", "STORE"));
        assertArrayEquals(new int[0], keys("MIGRATE", "h"));
        assertArrayEquals(new int[0], keys("MIGRATE", "h", "1", "k", "0", "5", "KEYS", "a"));
        assertArrayEquals(new int[0], keys("MIGRATE", "h", "1", "", "0", "5", "KEYS"));
        assertArrayEquals(new int[0], keys("GET"));
        assertArrayEquals(new int[0], keys("OBJECT"));
        assertArrayEquals(new int[0], keys("OBJECT", "NOSUCHSUB", "k"));
        assertArrayEquals(new int[] {1}, keys("MSET", "a"));
        assertArrayEquals(new int[] {1, 3}, keys("MSET", "a", "1", "b"));
        assertArrayEquals(new int[0], keys("BLPOP", "0"));
        assertArrayEquals(new int[] {1}, specs.keyIndexes(List.of("get".getBytes(), new byte[] {(byte) 0xff, 0})));
    }

    @Test
    void unknownCommandsGiveNull() {
        assertNull(specs.keyIndexes(List.of()));
        assertNull(keys("NOSUCHCOMMAND", "k"));
        assertNull(specs.keyIndexes(List.of(new byte[] {(byte) 0xc3, (byte) 0xa9})));
        assertFalse(specs.isKnown("nosuchcommand"));
        assertEquals(Set.of(), specs.flags("nosuchcommand"));
    }

    @Test
    void flags() {
        assertTrue(specs.isKnown("get"));
        assertTrue(specs.isKnown("object|encoding"));
        assertTrue(specs.flags("set").contains("write"));
        assertTrue(specs.flags("get").contains("readonly"));
        assertTrue(specs.hasFlag("EVAL", "noscript"));
        assertTrue(specs.hasFlag("eval", "MOVABLEKEYS"));
        assertFalse(specs.hasFlag("get", "write"));
        assertFalse(specs.hasFlag("nosuchcommand", "write"));
    }

    @Test
    void resp2ReplyGivesTheSameAnswers() throws Exception {
        KeySpecs fromResp2 = KeySpecs.fromCommandReply(send(resp2, Request.cmd(Command.COMMAND)));
        for (List<String> cmd : SAMPLES) {
            assertArrayEquals(specs.keyIndexes(bytes(cmd)), fromResp2.keyIndexes(bytes(cmd)), cmd::toString);
            String name = cmd.get(0).toLowerCase();
            assertEquals(specs.flags(name), fromResp2.flags(name), name);
        }
    }

    /** A movablekeys command this class does not parse (a module's, say): the caller must ask the engine. */
    @Test
    void otherMovableKeysCommandsGiveNull() {
        KeySpecs fake = KeySpecs.fromCommandReply(CommandReplies.array(
                CommandReplies.entry("mod.cmd", -2, List.of("write", "movablekeys"), 0, 0, 0),
                CommandReplies.entry("get", 2, List.of("readonly"), 1, 1, 1)));
        assertNull(fake.keyIndexes(bytes(c("MOD.CMD", "k"))));
        assertArrayEquals(new int[] {1}, fake.keyIndexes(bytes(c("GET", "k"))));
        assertTrue(fake.hasFlag("mod.cmd", "movablekeys"));
    }

    private static List<String> engineKeys(List<String> cmd) throws Exception {
        Request request = Request.cmd(Command.COMMAND).arg("GETKEYS");
        cmd.forEach(a -> request.arg(a.getBytes(StandardCharsets.UTF_8)));
        try {
            List<String> keys = new ArrayList<>();
            send(resp3, request).forEach(r -> keys.add(r.toString()));
            return keys;
        } catch (ExecutionException e) {
            String message = String.valueOf(e.getCause().getMessage());
            // Keyless commands are refused; anything else means the sample itself is wrong.
            if (message.contains("Invalid command") || message.contains("Invalid number of arguments")
                    || message.contains("wrong number of arguments")) {
                fail("bad sample " + cmd + ": " + message);
            }
            return List.of();
        }
    }

    private static int[] keys(String... cmd) {
        return specs.keyIndexes(bytes(List.of(cmd)));
    }

    private static List<String> values(List<String> cmd, int[] indexes) {
        List<String> values = new ArrayList<>();
        for (int i : indexes) {
            values.add(cmd.get(i));
        }
        return values;
    }

    private static List<String> c(String... args) {
        return List.of(args);
    }

    private static List<byte[]> bytes(List<String> args) {
        return args.stream().map(a -> a.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static Response send(Redis redis, Request request) throws Exception {
        Future<Response> f = redis.send(request);
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
