package dev.kvsim.client;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher: kvsim from the local Maven repository, on free ports, stopped with every node by close(). */
class KvsimServerTest {

    @Test
    void startsKvsimWithAPasswordProtectedDefaultInstanceAndStopsEverythingOnClose() throws Exception {
        KvsimServer server = KvsimServer.builder().defaultInstance("redis.master.small.default", "Passw0rd!", 0).start();
        List<Long> nodePids;
        Path dataDir;
        try {
            Endpoint endpoint = server.defaultInstance().orElseThrow();
            Instance instance = server.admin().instance(endpoint.instanceId());
            assertEquals(Instance.NORMAL, instance.status());
            assertEquals(instance.port(), endpoint.port());
            assertEquals("double", instance.nodeType());
            nodePids = instance.nodes().stream().map(Instance.Node::pid).toList();
            assertEquals(2, nodePids.size());
            try (Jedis jedis = new Jedis(endpoint.host(), endpoint.port())) {
                JedisDataException noAuth = assertThrows(JedisDataException.class, jedis::ping);
                assertTrue(noAuth.getMessage().startsWith("NOAUTH"), noAuth.getMessage());
                jedis.auth(endpoint.password());
                assertEquals("PONG", jedis.ping());
            }
            // its admin API asks for the launch's token, which admin() sends; neither secret is on the command line
            String token = server.apiToken().orElseThrow();
            java.net.http.HttpResponse<String> without = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(server.adminUri().resolve("/api/v1/instances")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(401, without.statusCode(), without.body());
            assertTrue(without.body().contains("\"code\":\"InvalidToken\""), without.body());
            KvsimApiException wrong = assertThrows(KvsimApiException.class,
                    () -> KvsimAdmin.connect(server.adminUri(), "not-" + token).instances());
            assertEquals("InvalidToken", wrong.code());
            assertEquals(1, KvsimAdmin.connect(server.adminUri(), token).instances().size());
            String commandLine = String.join(" ", ProcessHandle.of(server.pid()).orElseThrow().info().arguments().orElseThrow());
            assertFalse(commandLine.contains(token) || commandLine.contains("Passw0rd!"), commandLine);
            dataDir = server.dataDirectory();
            assertTrue(Files.isDirectory(dataDir), "kvsim runs in a temporary data directory");
            assertTrue(Files.size(server.logFile()) > 0, "kvsim's output goes to its log file");
        } finally {
            server.close();
        }
        assertFalse(server.isAlive());
        for (long pid : nodePids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "node " + pid + " stopped");
        }
        assertFalse(Files.exists(dataDir), "the temporary data directory is deleted");
        assertTrue(Files.exists(server.logFile()), "the log is kept for a failure's diagnosis");
    }

    @Test
    void aLaunchAfterTheFirstMapsTheClassDataArchiveTheFirstRecorded() {
        KvsimServer.builder().start().close();
        try (KvsimServer second = KvsimServer.builder().start()) {
            List<String> args = List.of(ProcessHandle.of(second.pid()).orElseThrow().info().arguments().orElseThrow());
            String option = args.stream().filter(a -> a.startsWith("-XX:SharedArchiveFile=")).findFirst()
                    .orElseThrow(() -> new AssertionError("no archive in use: " + args));
            assertTrue(Files.size(Path.of(option.substring(option.indexOf('=') + 1))) > 1_000_000, option);
            assertEquals(List.of(), second.admin().instances(), "no default instance unless asked for");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aMissingArtifactIsNamedInTheError() {
        Path nowhere = Path.of("/nonexistent/kvsim-app.zip");
        KvsimStartException e = assertThrows(KvsimStartException.class,
                () -> KvsimServer.builder().artifact(nowhere).start());
        assertTrue(e.getMessage().contains(nowhere.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("kvsim.artifact"), e.getMessage());
    }

    @Test
    void aKvsimThatCannotStartIsReportedWithItsLogFileAndLastLines() throws Exception {
        List<Path> dataDirsBefore = dataDirs();
        KvsimStartException e = assertThrows(KvsimStartException.class,
                () -> KvsimServer.builder().defaultInstance("no.such.class", null, 0).start());
        assertTrue(e.getMessage().contains("kvsim's log: "), e.getMessage());
        assertTrue(e.getMessage().contains("no.such.class"), "the log's tail shows kvsim's own reason: " + e.getMessage());
        assertTrue(noNewDataDirs(dataDirsBefore), "the failed launch's data directory is removed");
    }

    private static boolean noNewDataDirs(List<Path> before) throws Exception {
        return before.containsAll(dataDirs());
    }

    private static List<Path> dataDirs() throws Exception {
        try (var dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return dirs.filter(p -> p.getFileName().toString().startsWith("kvsim-data-")).toList();
        }
    }
}
