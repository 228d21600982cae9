package dev.kvsim.process;

import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default instance across restarts with changed settings, and instances whose port was taken. */
class DefaultInstanceIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final String MICRO_DUAL = "-Dkvsim.default-instance.instance-class=redis.master.micro.default";

    private static String defaultId(KvsimProcess kvsim) {
        return kvsim.api().get("/api/v1/instances").then().statusCode(200).extract().path("[0].instanceId");
    }

    @Test
    void aChangedPortMovesTheDefaultInstanceWithItsData() throws Exception {
        int first = KvsimProcess.freePort();
        try (KvsimProcess kvsim = new KvsimProcess(Files.createTempDirectory("kvsim-it"), first, MICRO_DUAL)) {
            kvsim.start().awaitReady(START);
            String id = defaultId(kvsim);
            try (Jedis j = new Jedis("127.0.0.1", first)) {
                j.set("moved", "with it");
            }
            kvsim.stop();

            int second = KvsimProcess.freePort();
            kvsim.reconfigure(second, MICRO_DUAL).start().awaitReady(START);
            assertTrue(kvsim.output().contains("the default instance moves from port " + first + " to port " + second),
                    kvsim.output());
            assertEquals(id, defaultId(kvsim));
            try (Jedis j = new Jedis("127.0.0.1", second)) {
                assertEquals("with it", j.get("moved"));
            }
            kvsim.stop();

            // The configured port is now taken: with use-free-port-if-taken it stays put, data and all.
            try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                kvsim.reconfigure(taken.getLocalPort(), MICRO_DUAL, "-Dkvsim.default-instance.use-free-port-if-taken=true")
                        .start().awaitReady(START);
                assertEquals(id, defaultId(kvsim));
                int port = kvsim.api().get("/api/v1/instances/" + id).then().extract().path("port");
                assertEquals(second, port);
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    assertEquals("with it", j.get("moved"));
                }
                kvsim.stop();
            }
        }
    }

    @Test
    void aStoredDefaultWhosePortIsTakenMovesToAFreePortWhenAllowed() throws Exception {
        int port = KvsimProcess.freePort();
        try (KvsimProcess kvsim = new KvsimProcess(Files.createTempDirectory("kvsim-it"), port, MICRO_DUAL,
                "-Dkvsim.default-instance.use-free-port-if-taken=true")) {
            kvsim.start().awaitReady(START);
            String id = defaultId(kvsim);
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                j.set("k", "v");
            }
            kvsim.stop();
            try (ServerSocket taken = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
                kvsim.start().awaitReady(START);
                assertTrue(kvsim.output().contains("port " + port + " is in use: the default instance moves to port"),
                        kvsim.output());
                assertEquals(id, defaultId(kvsim));
                int now = kvsim.api().get("/api/v1/instances/" + id).then().body("status", equalTo("Normal"))
                        .extract().path("port");
                try (Jedis j = new Jedis("127.0.0.1", now)) {
                    assertEquals("v", j.get("k"));
                }
                kvsim.stop();
            }
        }
    }

    @Test
    void disablingTheDefaultInstanceDeletesItAndItsDirectory() throws Exception {
        try (KvsimProcess kvsim = new KvsimProcess(Files.createTempDirectory("kvsim-it"), 0, MICRO_DUAL)) {
            kvsim.start().awaitReady(START);
            String id = defaultId(kvsim);
            assertTrue(Files.isDirectory(kvsim.dataDir.resolve("instances").resolve(id)));
            kvsim.stop();
            kvsim.reconfigure(0, "-Dkvsim.default-instance.enabled=false").start().awaitReady(START);
            assertTrue(kvsim.output().contains("the default instance is disabled: deleting " + id), kvsim.output());
            kvsim.api().get("/api/v1/instances").then().statusCode(200).body("size()", equalTo(0));
            assertFalse(Files.exists(kvsim.dataDir.resolve("instances").resolve(id)), "its nodes' directory is gone");
            kvsim.stop();
        }
    }

    @Test
    void anInstanceWhosePortWasTakenAtStartComesBackOnRestart() throws Exception {
        try (KvsimProcess kvsim = new KvsimProcess(Files.createTempDirectory("kvsim-it"), 0,
                "-Dkvsim.default-instance.enabled=false")) {
            kvsim.start().awaitReady(START);
            int port = KvsimProcess.freePort();
            String id = kvsim.api().contentType(ContentType.JSON)
                    .body(Map.of("instanceClass", "redis.basic.micro.default", "port", port))
                    .post("/api/v1/instances?wait=true").then().statusCode(201).extract().path("instanceId");
            kvsim.stop();
            try (ServerSocket taken = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
                kvsim.start().awaitReady(START);
                kvsim.api().get("/api/v1/instances/" + id).then().body("status", equalTo("Error"));
                kvsim.api().post("/api/v1/instances/" + id + "/restart?wait=true").then().statusCode(409)
                        .body("code", equalTo("InstancePortInUse"));
            }
            kvsim.api().post("/api/v1/instances/" + id + "/restart?wait=true").then().statusCode(200)
                    .body("status", equalTo("Normal"));
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                assertEquals("PONG", j.ping());
            }
            kvsim.stop();
        }
    }

    @Test
    void aBadEnginePathEndsKvsimWithOneLine() throws Exception {
        try (KvsimProcess kvsim = new KvsimProcess(Files.createTempDirectory("kvsim-it"), 0,
                "-Dkvsim.engine.path=/nonexistent/redis-server")) {
            kvsim.start();
            assertEquals(1, kvsim.awaitExit(START));
            String expected = "kvsim: kvsim.engine.path /nonexistent/redis-server is not an executable file";
            assertTrue(kvsim.output().lines().anyMatch(expected::equals), kvsim.output());
            assertFalse(kvsim.output().contains("\tat "), "no stack trace:\n" + kvsim.output());
        }
    }
}
