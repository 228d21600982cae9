package dev.kvsim.cluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashSlotsTest {

    private static Path dir;
    private static Process server;
    private static int port;

    @BeforeAll
    static void startServer() throws Exception {
        dir = Files.createTempDirectory("kvsim-hashslots");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // CLUSTER KEYSLOT needs cluster mode; it answers without any slots assigned.
        server = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                if ("PONG".equals(jedis.ping())) {
                    return;
                }
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline || !server.isAlive()) {
                    throw new IllegalStateException("redis-server did not start; see " + dir.resolve("redis.log"), e);
                }
                Thread.sleep(50);
            }
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (dir != null) {
            deleteRecursively(dir);
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

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
