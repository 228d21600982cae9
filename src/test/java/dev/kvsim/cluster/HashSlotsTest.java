package dev.kvsim.cluster;

import dev.kvsim.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashSlotsTest {

    private static RedisServerProcess server;
    private static int port;

    @BeforeAll
    static void startServer() throws Exception {
        // CLUSTER KEYSLOT needs cluster mode; it answers without any slots assigned.
        server = RedisServerProcess.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf");
        port = server.port();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void knownValues() {
        assertEquals(12182, HashSlots.slot("foo"));
        assertEquals(5061, HashSlots.slot("bar"));
        assertEquals(0x31C3, HashSlots.slot("123456789")); // the CRC16/XMODEM check value, below 16384
        assertEquals(0, HashSlots.slot(""));
    }

    @Test
    void hashTags() {
        int user = HashSlots.slot("user1000");
        assertEquals(user, HashSlots.slot("{user1000}.following"));
        assertEquals(user, HashSlots.slot("{user1000}.followers"));
        assertEquals(HashSlots.slot("bar"), HashSlots.slot("foo{bar}{zap}"));
        assertEquals(HashSlots.slot("{bar"), HashSlots.slot("foo{{bar}}zap"));
        // An empty tag does not count, and only the first '{' opens a tag: the whole key is hashed.
        assertEquals(HashSlots.crc16(bytes("foo{}{bar}"), 0, 10) & 16383, HashSlots.slot("foo{}{bar}"));
        assertTrue(HashSlots.slot("foo{}{bar}") != HashSlots.slot("bar"));
        assertEquals(HashSlots.crc16(bytes("foo{bar"), 0, 7) & 16383, HashSlots.slot("foo{bar"));
    }

    @Test
    void bytesAndUtf8Agree() {
        assertEquals(HashSlots.slot("clé{ünïcode}"), HashSlots.slot(bytes("clé{ünïcode}")));
        assertEquals(HashSlots.slot("ünïcode"), HashSlots.slot("clé{ünïcode}"));
    }

    @Test
    void agreesWithClusterKeyslot() {
        List<String> keys = List.of("foo", "bar", "123456789", "", "a", "{user1000}.following", "foo{}{bar}",
                "foo{{bar}}zap", "foo{bar}{zap}", "foo{bar", "}{", "{}", "{a}", "key:000042", "clé{ünïcode}",
                "x".repeat(1000));
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            for (String key : keys) {
                assertEquals(jedis.clusterKeySlot(key), HashSlots.slot(key), key);
            }
            for (int i = 0; i < 500; i++) {
                String key = "k" + i + (i % 7 == 0 ? "{t" + i % 13 + "}" : "");
                assertEquals(jedis.clusterKeySlot(key), HashSlots.slot(key), key);
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
