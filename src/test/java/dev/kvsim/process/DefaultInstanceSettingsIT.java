package dev.kvsim.process;

import dev.kvsim.RawClient;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default instance's configured class and password, the configured engine path, and a restart of
 * kvsim with a changed class or password. One kvsim, started three times, keeps this cheap.
 */
class DefaultInstanceSettingsIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final String PASSWORD = "Passw0rd!";
    private static final String NEW_PASSWORD = "Passw0rd!2";
    private static final String NOAUTH = "-NOAUTH Authentication required.";

    @Test
    void configuredClassPasswordAndEngineAreUsedAndAChangeOfClassOrPasswordRecreatesTheInstance() throws Exception {
        // A copy of redis-server, and a PATH without one: without kvsim.engine.path kvsim would run its bundled 6.2.
        Path engineDir = Files.createTempDirectory("kvsim-engine");
        Path engine = Files.copy(redisServerOnPath(), engineDir.resolve("redis-server"));
        assertTrue(engine.toFile().setExecutable(true));
        String version = versionOf(engine);
        String enginePath = "-Dkvsim.engine.path=" + engine;
        int port = KvsimProcess.freePort();
        try (KvsimProcess kvsim = new KvsimProcess(Files.createTempDirectory("kvsim-it"), port, enginePath,
                "-Dkvsim.default-instance.instance-class=redis.basic.micro.default",
                "-Dkvsim.default-instance.password=" + PASSWORD).env("PATH", "/nonexistent")) {
            kvsim.start().awaitReady(START);
            assertTrue(kvsim.output().contains("engine: " + engine + " " + version + " (configured by kvsim.engine.path)"),
                    kvsim.output());
            JsonPath first = onlyInstance(kvsim);
            String id = first.getString("instanceId");
            assertEquals("Normal", first.getString("status"));
            assertEquals("redis.basic.micro.default", first.getString("instanceClass"));
            assertEquals("single", first.getString("nodeType"));
            assertEquals("Open", first.getString("vpcAuthMode"));
            assertEquals(version, first.getString("engineVersion"));
            long pid = first.getLong("nodes[0].pid");
            assertEquals(engine.toRealPath(), Path.of("/proc/" + pid + "/exe").toRealPath(), "the node runs the configured binary");
            try (RawClient c = new RawClient(port)) {
                assertEquals(NOAUTH, c.command("SET", "k", "v").line());
                assertEquals("+OK", c.command("AUTH", PASSWORD).line());
                assertEquals("+OK", c.command("SET", "k", "v").line());
            }
            kvsim.stop();

            kvsim.reconfigure(port, enginePath, "-Dkvsim.default-instance.instance-class=redis.master.micro.default",
                    "-Dkvsim.default-instance.password=" + PASSWORD).start().awaitReady(START);
            assertTrue(kvsim.output().contains("the default instance's class or password changed: recreating " + id),
                    kvsim.output());
            JsonPath second = onlyInstance(kvsim);
            String secondId = second.getString("instanceId");
            assertNotEquals(id, secondId);
            assertEquals("redis.master.micro.default", second.getString("instanceClass"));
            assertEquals("double", second.getString("nodeType"));
            try (RawClient c = new RawClient(port)) {
                assertEquals("+OK", c.command("AUTH", PASSWORD).line());
                assertEquals("+OK", c.command("SET", "kept", "1").line());
            }
            kvsim.stop();

            kvsim.reconfigure(port, enginePath, "-Dkvsim.default-instance.instance-class=redis.master.micro.default",
                    "-Dkvsim.default-instance.password=" + NEW_PASSWORD).start().awaitReady(START);
            assertTrue(kvsim.output().contains("the default instance's class or password changed: recreating " + secondId),
                    kvsim.output());
            assertNotEquals(secondId, onlyInstance(kvsim).getString("instanceId"));
            try (RawClient c = new RawClient(port)) {
                assertEquals(NOAUTH, c.command("GET", "kept").line());
                assertEquals("-WRONGPASS invalid username-password pair", c.command("AUTH", PASSWORD).line());
                assertEquals("+OK", c.command("AUTH", NEW_PASSWORD).line());
                assertEquals("$-1", c.command("GET", "kept").line(), "a new, empty instance");
            }
            kvsim.stop();
        } finally {
            Files.deleteIfExists(engine);
            Files.deleteIfExists(engineDir);
        }
    }

    private static JsonPath onlyInstance(KvsimProcess kvsim) {
        JsonPath all = kvsim.api().get("/api/v1/instances").then().statusCode(200).extract().jsonPath();
        assertEquals(1, all.getList("$").size(), all.prettify());
        return kvsim.api().get("/api/v1/instances/" + all.getString("[0].instanceId")).then().statusCode(200)
                .extract().jsonPath();
    }

    private static Path redisServerOnPath() {
        return Stream.of(System.getenv("PATH").split(File.pathSeparator)).map(d -> Path.of(d, "redis-server"))
                .filter(Files::isExecutable).findFirst().orElseThrow(() -> new AssertionError("no redis-server on PATH"));
    }

    private static String versionOf(Path binary) throws Exception {
        Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("v=([0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }
}
