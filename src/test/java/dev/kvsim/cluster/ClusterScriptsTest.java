package dev.kvsim.cluster;

import dev.kvsim.proxy.cluster.ClusterScripts;

import dev.kvsim.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The KEYS-array rule of {@link ClusterScripts} against a real redis-server (7.0 here), started by
 * the test on a free port.
 */
class ClusterScriptsTest {

    private static RedisServerProcess server;
    private static Jedis jedis;

    @BeforeAll
    static void startServer() throws Exception {
        server = RedisServerProcess.start();
        jedis = new Jedis("127.0.0.1", server.port());
    }

    @AfterAll
    static void stopServer() throws Exception {
        try {
            if (jedis != null) {
                jedis.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @BeforeEach
    void emptyDatabase() {
        jedis.flushAll();
    }

    private static Object run(String userScript, List<String> keys, String... args) {
        return jedis.eval(ClusterScripts.wrap(userScript), keys, List.of(args));
    }

    /** The raw error reply of the engine, without the dash. */
    private static String engineError(String userScript, List<String> keys, String... args) {
        return assertThrows(JedisDataException.class, () -> run(userScript, keys, args)).getMessage();
    }

    /** The error as the proxy answers it: a key-check failure becomes exactly the service's text. */
    private static String proxyError(String userScript, List<String> keys, String... args) {
        String e = engineError(userScript, keys, args);
        return ClusterScripts.isKeyCheckFailure(e) ? ClusterScripts.KEYS_NOT_IN_KEYS_ARRAY : e;
    }

    @Test
    void keysFromTheKeysArrayPass() {
        assertEquals("v", run("redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])",
                List.of("k1"), "v"));
        assertEquals("v", jedis.get("k1"));
    }

    @Test
    void aKeyThroughALocalVariableFromKeysPasses() {
        assertEquals(1L, run("local k = KEYS[2]; return redis.call('INCR', k)", List.of("k1", "k2")));
        assertEquals(1L, run("local ks = KEYS; local f = redis.call; return f('INCR', ks[1])", List.of("k1")));
        assertEquals("1", jedis.get("k2"));
        assertEquals("1", jedis.get("k1"));
    }

    @Test
    void aKeyBuiltByConcatenationFailsWithTheServiceText() {
        String script = "return redis.call('GET', KEYS[1] .. 'x')";
        String raw = engineError(script, List.of("k1"));
        // exactly what Redis 7.0 answers: the text, then the wrapped script's SHA and the prelude's line
        String wrappedSha = ClusterScripts.sha1Hex(ClusterScripts.wrap(script));
        assertEquals(ClusterScripts.KEYS_NOT_IN_KEYS_ARRAY + " script: " + wrappedSha + ", on @user_script:1.", raw);
        assertTrue(ClusterScripts.isKeyCheckFailure(raw));
        assertEquals(ClusterScripts.KEYS_NOT_IN_KEYS_ARRAY, proxyError(script, List.of("k1")));

        assertEquals(ClusterScripts.KEYS_NOT_IN_KEYS_ARRAY,
                proxyError("redis.call('SET', KEYS[1] .. 'x', 'v'); return 'written'", List.of("k1")));
        assertFalse(jedis.exists("k1x"));
        assertFalse(jedis.exists("k1"));
    }

    @Test
    void pcallFailsTheScriptToo() {
        assertEquals(ClusterScripts.KEYS_NOT_IN_KEYS_ARRAY,
                proxyError("local r = redis.pcall('GET', KEYS[1] .. 'x'); return 'continued'", List.of("k1")));
        assertEquals(ClusterScripts.KEYS_NOT_IN_KEYS_ARRAY,
                proxyError("redis.pcall('SET', 'other', 'v'); return 'continued'", List.of("k1")));
        assertFalse(jedis.exists("other"));
    }

    @Test
    void aMultiKeyCommandWithOneOutsiderFailsAndWritesNothing() {
        assertEquals(ClusterScripts.KEYS_NOT_IN_KEYS_ARRAY,
                proxyError("return redis.call('MSET', KEYS[1], 'a', 'other', 'b')", List.of("k1")));
        assertFalse(jedis.exists("other"));
        assertFalse(jedis.exists("k1"));
        assertEquals("OK", run("return redis.call('MSET', KEYS[1], 'a', KEYS[2], 'b')", List.of("k1", "k2")));
        assertEquals(List.of("a", "b"), jedis.mget("k1", "k2"));
    }

    @Test
    void movableKeysAreChecked() {
        jedis.zadd("k1", 1, "m");
        assertEquals(ClusterScripts.KEYS_NOT_IN_KEYS_ARRAY,
                proxyError("return redis.call('ZUNIONSTORE', KEYS[1], 2, KEYS[1], 'outsider')", List.of("k1")));
        assertEquals(1L, jedis.zcard("k1"));
        assertEquals(1L, run("return redis.call('ZUNIONSTORE', KEYS[2], 2, KEYS[1], KEYS[3])",
                List.of("k1", "k2", "k3")));
        assertEquals(1L, jedis.zcard("k2"));
        // the keys after STREAMS, found by the engine from the actual arguments
        assertEquals(ClusterScripts.KEYS_NOT_IN_KEYS_ARRAY,
                proxyError("return redis.call('XREAD', 'COUNT', 1, 'STREAMS', KEYS[1], 'outsider', '0', '0')",
                        List.of("k1")));
    }

    @Test
    void subcommandKeysAreChecked() {
        jedis.set("k1", "v");
        assertEquals("embstr", run("return redis.call('OBJECT', 'ENCODING', KEYS[1])", List.of("k1")));
        assertEquals(ClusterScripts.KEYS_NOT_IN_KEYS_ARRAY,
                proxyError("return redis.call('object', 'encoding', KEYS[1] .. 'x')", List.of("k1")));
    }

    @Test
    void keylessCommandsPassWithoutCountingEngineErrors() {
        jedis.configResetStat();
        assertEquals("PONG", run("return redis.call('PING')", List.of()));
        assertEquals(2L, ((List<?>) run("return redis.call('TIME')", List.of())).size());
        assertTrue(((String) run("return redis.call('INFO', 'server')", List.of())).contains("redis_version:"));
        assertEquals(1L, run("local h = redis.call('OBJECT', 'HELP'); return type(h) == 'table' and 1 or 0",
                List.of()));
        // COMMAND INFO tells keyless commands apart, so no GETKEYS error shows in the engine's stats
        assertTrue(jedis.info("stats").contains("total_error_replies:0"), jedis.info("stats"));
    }

    @Test
    void ordinaryEngineErrorsComeBackAsTheEngines() {
        jedis.set("k1", "string");
        String wrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
        String e = engineError("return redis.call('LPUSH', KEYS[1], 'x')", List.of("k1"));
        assertTrue(e.startsWith(wrongType + " script: "), e);
        assertFalse(ClusterScripts.isKeyCheckFailure(e));
        assertEquals(wrongType, run("local r = redis.pcall('LPUSH', KEYS[1], 'x'); return r['err']", List.of("k1")));
        // a wrong number of arguments still gets the engine's own answer for the real command
        String arity = engineError("return redis.call('GET')", List.of("k1"));
        assertTrue(arity.startsWith("ERR Wrong number of args calling Redis command from script"), arity);
        String unknown = engineError("return redis.call('NOSUCHCOMMAND', KEYS[1])", List.of("k1"));
        assertTrue(unknown.startsWith("ERR Unknown Redis command called from script"), unknown);
    }

    @Test
    void otherRedisHelpersStillWorkThroughTheShadow() {
        assertEquals("FINE", run("return redis.status_reply('FINE')", List.of()));
        assertEquals("86f7e437faa5a7fce15d1ddcb9eaeaea377667b8", run("return redis.sha1hex('a')", List.of()));
        assertEquals(3L, run("return redis.LOG_WARNING", List.of()));
        assertEquals(3L, run("return redis.REPL_ALL", List.of()));
        String errorReply = "return redis.error_reply('MYERR oops')";
        assertEquals(assertThrows(JedisDataException.class, () -> jedis.eval(errorReply, List.of(), List.of())).getMessage(),
                engineError(errorReply, List.of()));
        assertEquals("MYERR oops", engineError(errorReply, List.of()));
        assertEquals(1L, run("redis.log(redis.LOG_NOTICE, 'hello'); redis.set_repl(redis.REPL_ALL); "
                + "return redis.replicate_commands() and 1 or 0", List.of()));
    }

    @Test
    void modifyingKeysDuringTheScriptDoesNotWidenTheRule() {
        assertEquals(ClusterScripts.KEYS_NOT_IN_KEYS_ARRAY,
                proxyError("KEYS[2] = 'other'; return redis.call('GET', KEYS[2])", List.of("k1")));
    }

    @Test
    void resp3RepliesDoNotConfuseTheCheck() {
        assertEquals(ClusterScripts.KEYS_NOT_IN_KEYS_ARRAY,
                proxyError("redis.setresp(3); return redis.call('GET', KEYS[1] .. 'x')", List.of("k1")));
        assertEquals("v", run("redis.setresp(3); redis.call('SET', KEYS[1], 'v'); return redis.call('GET', KEYS[1])",
                List.of("k1")));
    }

    @Test
    void shebangFlagsStillApply() {
        jedis.set("k1", "v");
        assertEquals("v", run("#!lua flags=no-writes\nreturn redis.call('GET', KEYS[1])", List.of("k1")));
        String ro = engineError("#!lua flags=no-writes\nreturn redis.call('SET', KEYS[1], 'x')", List.of("k1"));
        assertTrue(ro.startsWith("ERR Write commands are not allowed from read-only scripts."), ro);
        String raw = engineError("#!lua flags=no-writes\nreturn redis.call('GET', KEYS[1] .. 'x')", List.of("k1"));
        assertTrue(ClusterScripts.isKeyCheckFailure(raw), raw);
        assertTrue(raw.endsWith(", on @user_script:2."), raw);
    }

    @Test
    void userCodeKeepsItsLineNumbers() {
        String script = "local a = 1\nlocal b = nil\nreturn b.x\n";
        String plain = assertThrows(JedisDataException.class,
                () -> jedis.eval(script, List.of(), List.of())).getMessage();
        String wrapped = engineError(script, List.of());
        assertTrue(plain.contains("user_script:3:"), plain);
        assertEquals(plain, ClusterScripts.withUserSha(wrapped,
                ClusterScripts.sha1Hex(ClusterScripts.wrap(script)), ClusterScripts.sha1Hex(script)));
        assertFalse(ClusterScripts.wrap(script).substring(0, ClusterScripts.wrap(script).indexOf("local a = 1"))
                .contains("\n"));
    }

    @Test
    void sha1HexIsWhatScriptLoadAnswers() {
        for (String script : List.of("return 1",
                "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])",
                "return 'h\u00e9llo \u4e16\u754c'\n")) {
            String loaded = jedis.scriptLoad(script);
            assertTrue(Pattern.matches("[0-9a-f]{40}", loaded), loaded);
            assertEquals(loaded, ClusterScripts.sha1Hex(script));
        }
        assertEquals(jedis.scriptLoad(ClusterScripts.wrap("return 1")),
                ClusterScripts.sha1Hex(ClusterScripts.wrap("return 1")));
    }

    @Test
    void isKeyCheckFailureRecognisesOnlyTheCheck() {
        assertTrue(ClusterScripts.isKeyCheckFailure(ClusterScripts.KEYS_NOT_IN_KEYS_ARRAY));
        assertTrue(ClusterScripts.isKeyCheckFailure(ClusterScripts.KEYS_NOT_IN_KEYS_ARRAY
                + " script: 0123456789abcdef0123456789abcdef01234567, on @user_script:1."));
        assertFalse(ClusterScripts.isKeyCheckFailure("ERR bad lua script"));
        assertFalse(ClusterScripts.isKeyCheckFailure("WRONGTYPE Operation against a key holding the wrong kind of value"));
        assertFalse(ClusterScripts.isKeyCheckFailure(null));
    }
}
