package dev.kvsim.process;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged kvsim in its own JVM: restart, kill -9, port conflicts, no orphan nodes. */
class KvsimProcessIT {

    private static final Duration START = Duration.ofSeconds(90);

    @Test
    void restartAfterKill9ReapsLeftoversAndBringsEveryInstanceBackWithItsData() throws Exception {
        try (KvsimProcess kvsim = new KvsimProcess(Files.createTempDirectory("kvsim-it"), KvsimProcess.freePort())) {
            kvsim.start().awaitReady(START);
            assertTrue(kvsim.output().contains("redis://127.0.0.1:" + kvsim.defaultPort), kvsim.output());
            assertTrue(kvsim.output().contains("admin API http://127.0.0.1:" + kvsim.adminPort), kvsim.output());

            JsonPath dual = kvsim.api().contentType(ContentType.JSON)
                    .body(Map.of("instanceClass", "redis.master.micro.default", "password", "Passw0rd!"))
                    .post("/api/v1/instances?wait=true").then().statusCode(201).extract().jsonPath();
            int dualPort = dual.getInt("port");
            try (Jedis j = new Jedis("127.0.0.1", dualPort)) {
                j.auth("Passw0rd!");
                for (int i = 0; i < 100; i++) {
                    j.set("key:" + i, "value:" + i);
                }
                j.select(255);
                j.set("in255", "kept");
            }
            try (Jedis j = new Jedis("127.0.0.1", kvsim.defaultPort)) {
                j.set("default", "kept");
            }
            List<ProcessHandle> firstNodes = kvsim.nodeProcesses();
            assertEquals(4, firstNodes.size(), "two dual-replica instances, two nodes each");

            // Nodes stop with a killed kvsim (their watchdogs see to it, see below); killed with their
            // watchdogs, they run on, and the next start must reap them.
            kvsim.kill9Watchdogs();
            kvsim.kill9();
            Thread.sleep(1000);
            assertTrue(firstNodes.stream().allMatch(ProcessHandle::isAlive), "unwatched nodes outlive a kill -9");

            kvsim.start().awaitReady(START);
            assertTrue(kvsim.output().contains("stopped 4 node process(es) left by a previous kvsim"), kvsim.output());
            for (ProcessHandle h : firstNodes) {
                assertFalse(kvsim.nodeProcesses().stream().anyMatch(p -> p.pid() == h.pid()), "leftover " + h.pid() + " stopped");
            }
            kvsim.api().get("/api/v1/instances/" + dual.getString("instanceId")).then().statusCode(200)
                    .body("status", equalTo("Normal")).body("port", equalTo(dualPort));
            try (Jedis j = new Jedis("127.0.0.1", dualPort)) {
                j.auth("Passw0rd!");
                assertEquals("value:42", j.get("key:42"));
                assertEquals(100L, j.dbSize());
                j.select(255);
                assertEquals("kept", j.get("in255"));
            }
            try (Jedis j = new Jedis("127.0.0.1", kvsim.defaultPort)) {
                assertEquals("kept", j.get("default"), "the default instance is dual replica too");
            }

            List<ProcessHandle> secondNodes = kvsim.nodeProcesses();
            assertEquals(4, secondNodes.size());
            assertGracefulExit(kvsim.stop());
            assertTrue(secondNodes.stream().noneMatch(ProcessHandle::isAlive), "a graceful stop stops every node");
        }
    }

    @Test
    void pausedNodesAreStoppedByAGracefulStopAndWithinSecondsOfAKill9() throws Exception {
        try (KvsimProcess kvsim = new KvsimProcess(Files.createTempDirectory("kvsim-it"), KvsimProcess.freePort())) {
            kvsim.start().awaitReady(START);
            String id = kvsim.api().get("/api/v1/instances").then().statusCode(200).extract().jsonPath()
                    .getString("[0].instanceId");
            pause(kvsim, id, "replica");
            List<ProcessHandle> nodes = kvsim.nodeProcesses();
            assertEquals(2, nodes.size());
            assertGracefulExit(kvsim.stop());
            assertTrue(nodes.stream().noneMatch(ProcessHandle::isAlive), "a graceful stop also stops a paused node");

            kvsim.start().awaitReady(START);
            try (Jedis j = new Jedis("127.0.0.1", kvsim.defaultPort)) {
                j.set("kept", "across a kill -9");
                j.waitReplicas(1, 2000);
            }
            pause(kvsim, id, "replica");
            List<ProcessHandle> running = kvsim.nodeProcesses();
            assertEquals(2, running.size());
            kvsim.kill9();
            long killed = System.nanoTime();
            // each node's watchdog sees kvsim's end of its pipe close: the running master and the
            // paused replica (resumed first) get SIGTERM; their parent, the watchdog, reaps them
            assertTrue(noneAliveWithin(running, Duration.ofSeconds(5)), "no node outlives a kill -9 of kvsim by 5 s");
            long stoppedMs = (System.nanoTime() - killed) / 1_000_000;
            System.out.println("nodes gone " + stoppedMs + " ms after kill -9 of kvsim");
            assertTrue(kvsim.nodeProcesses().isEmpty());

            kvsim.start().awaitReady(START);
            assertFalse(kvsim.output().contains("left by a previous kvsim"), "nothing left to reap: " + kvsim.output());
            try (Jedis j = new Jedis("127.0.0.1", kvsim.defaultPort)) {
                assertEquals("across a kill -9", j.get("kept"), "the nodes stopped as on a graceful stop: AOF flushed");
            }
            assertGracefulExit(kvsim.stop());
        }
    }

    private static boolean noneAliveWithin(List<ProcessHandle> processes, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (processes.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return processes.stream().noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void unavailableMinutesSurviveARestartOfKvsim() throws Exception {
        int port = KvsimProcess.freePort();
        try (KvsimProcess kvsim = new KvsimProcess(Files.createTempDirectory("kvsim-it"), port,
                "-Dkvsim.sla.probe-interval=100ms", "-Dkvsim.ha.profile=fast")) {
            kvsim.start().awaitReady(START);
            String id = kvsim.api().get("/api/v1/instances").then().statusCode(200).extract().jsonPath()
                    .getString("[0].instanceId");
            kvsim.api().contentType(ContentType.JSON).body(Map.of("type", "refuse_connections", "durationMs", 120_000))
                    .post("/api/v1/instances/" + id + "/faults").then().statusCode(201);
            // two minutes of kvsim's clock with the fault: the second is down from its start to its end
            for (int k = 0; k < 2; k++) {
                assertFalse(pings(port), "connections are refused");
                advanceClock(kvsim, 60_000);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!pings(port) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(pings(port), "the fault ended with its two minutes");
            advanceClock(kvsim, 60_000);  // the minute the fault ended in is judged
            JsonPath before = kvsim.api().get("/api/v1/instances/" + id + "/sla").then().statusCode(200).extract().jsonPath();
            while (before.getInt("unavailableMinutes") < 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                before = kvsim.api().get("/api/v1/instances/" + id + "/sla").then().statusCode(200).extract().jsonPath();
            }
            int unavailable = before.getInt("unavailableMinutes");
            assertTrue(unavailable >= 1, before.prettify());
            assertGracefulExit(kvsim.stop());

            kvsim.start().awaitReady(START);
            JsonPath after = kvsim.api().get("/api/v1/instances/" + id + "/sla").then().statusCode(200).extract().jsonPath();
            // the minutes of the fault are still there (kvsim's own restart may add some: the port was down)
            List<Object> kept = after.getList("minutes");
            assertTrue(kept.containsAll(before.getList("minutes")), after.prettify());
            assertTrue(after.getInt("unavailableMinutes") >= unavailable);
            assertGracefulExit(kvsim.stop());
        }
    }

    private static void advanceClock(KvsimProcess kvsim, long ms) {
        kvsim.api().contentType(ContentType.JSON).body(Map.of("durationMs", ms)).post("/api/v1/clock/advance")
                .then().statusCode(200);
    }

    /** A client's connection attempt: PONG, or refused. */
    private static boolean pings(int port) {
        try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis("127.0.0.1", port, 2000)) {
            return "PONG".equals(j.ping());
        } catch (redis.clients.jedis.exceptions.JedisException e) {
            return false;
        }
    }

    @Test
    void theReadyFileNamesTheBoundPortsAndGoesAwayAtStop() throws Exception {
        Path dir = Files.createTempDirectory("kvsim-it");
        Path readyFile = dir.resolve("launcher/ready.json");
        try (KvsimProcess kvsim = new KvsimProcess(dir, 0, "-Dquarkus.http.port=0", "-Dkvsim.ready-file=" + readyFile)) {
            kvsim.start();
            awaitFile(readyFile, kvsim);
            JsonPath ready = JsonPath.from(Files.readString(readyFile));
            kvsim.awaitReady(START);
            assertEquals(kvsim.pid(), ready.getLong("pid"));
            String adminUrl = ready.getString("adminUrl");
            assertTrue(adminUrl.matches("http://127\\.0\\.0\\.1:[1-9][0-9]*"), adminUrl);
            assertTrue(kvsim.output().contains("admin API " + adminUrl + ","), "the ready line shows the bound port: " + kvsim.output());
            String id = ready.getString("defaultInstance.instanceId");
            int port = ready.getInt("defaultInstance.port");
            assertEquals("127.0.0.1", ready.getString("defaultInstance.host"));
            io.restassured.RestAssured.given().baseUri(adminUrl).get("/api/v1/instances/" + id).then().statusCode(200)
                    .body("port", equalTo(port)).body("status", equalTo("Normal"));
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                assertEquals("PONG", j.ping());
            }
            assertGracefulExit(kvsim.stop());
            assertFalse(Files.exists(readyFile), "deleted at stop");

            kvsim.reconfigure(0, "-Dquarkus.http.port=0", "-Dkvsim.ready-file=" + readyFile, "-Dkvsim.default-instance.enabled=false")
                    .start();
            awaitFile(readyFile, kvsim);
            String raw = Files.readString(readyFile);
            assertTrue(raw.contains("\"defaultInstance\":null"), raw);
            ready = JsonPath.from(raw);
            io.restassured.RestAssured.given().baseUri(ready.getString("adminUrl")).get("/api/v1/instances").then()
                    .statusCode(200).body("size()", equalTo(0));
            assertGracefulExit(kvsim.stop());
        }
    }

    /** As a launcher waits: for the file, not the log. */
    private static void awaitFile(Path file, KvsimProcess kvsim) throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        while (!Files.exists(file)) {
            assertTrue(System.nanoTime() < deadline, "no ready file within " + START + ":\n" + kvsim.output());
            Thread.sleep(50);
        }
    }

    @Test
    void kvsimStopsWithEveryNodeWhenItsParentProcessDies() throws Exception {
        Process parent = new ProcessBuilder("sleep", "30").start();
        try (KvsimProcess kvsim = new KvsimProcess(Files.createTempDirectory("kvsim-it"), 0, "-Dkvsim.parent-pid=" + parent.pid())) {
            kvsim.start().awaitReady(START);
            List<ProcessHandle> nodes = kvsim.nodeProcesses();
            assertEquals(2, nodes.size());
            parent.destroyForcibly();  // kill -9: the parent runs no hook of its own
            kvsim.awaitExit(Duration.ofSeconds(60));
            assertTrue(kvsim.output().contains("parent process " + parent.pid() + " (kvsim.parent-pid) exited: kvsim stops"), kvsim.output());
            assertTrue(nodes.stream().noneMatch(ProcessHandle::isAlive), "every node stopped");
            assertTrue(kvsim.nodeProcesses().isEmpty());
        } finally {
            parent.destroyForcibly();
        }
    }

    @Test
    void aParentProcessAlreadyGoneEndsKvsimAtOnce() throws Exception {
        Process parent = new ProcessBuilder("true").start();
        parent.waitFor();
        try (KvsimProcess kvsim = new KvsimProcess(Files.createTempDirectory("kvsim-it"), 0, "-Dkvsim.parent-pid=" + parent.pid())) {
            kvsim.start();
            assertEquals(1, kvsim.awaitExit(START));
            assertTrue(kvsim.output().lines().anyMatch(("kvsim: kvsim.parent-pid " + parent.pid() + " is not running")::equals), kvsim.output());
            assertTrue(kvsim.nodeProcesses().isEmpty(), "no node started");
        }
    }

    private static void pause(KvsimProcess kvsim, String id, String node) {
        kvsim.api().contentType(ContentType.JSON)
                .body(Map.of("type", "pause_node", "target", Map.of("node", node), "durationMs", 600_000))
                .post("/api/v1/instances/" + id + "/faults").then().statusCode(201);
        kvsim.api().get("/api/v1/instances/" + id).then().statusCode(200)
                .body("nodes.find { it.role == '" + node + "' }.state", equalTo("paused"));
    }

    /** SIGTERM ends the JVM with 143 (128 + 15) after the shutdown hooks ran, or 0. */
    private static void assertGracefulExit(int code) {
        assertTrue(code == 0 || code == 143, "graceful stop exit code " + code);
    }

    @Test
    void defaultPortTakenExitsNonZeroWithOneClearLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             KvsimProcess kvsim = new KvsimProcess(Files.createTempDirectory("kvsim-it"), taken.getLocalPort())) {
            kvsim.start();
            assertEquals(1, kvsim.awaitExit(START));
            String expected = "kvsim: port " + taken.getLocalPort() + " for the default instance is already in use; "
                    + "stop what holds it, or set kvsim.default-instance.port (0 = any free port)";
            assertTrue(kvsim.output().lines().anyMatch(expected::equals), kvsim.output());
            assertTrue(kvsim.nodeProcesses().isEmpty(), "no node started");
        }
    }

    @Test
    void defaultPortTakenUsesAFreePortWhenConfiguredTo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             KvsimProcess kvsim = new KvsimProcess(Files.createTempDirectory("kvsim-it"), taken.getLocalPort(),
                     "-Dkvsim.default-instance.use-free-port-if-taken=true", "-Dkvsim.default-instance.instance-class=redis.basic.micro.default")) {
            kvsim.start().awaitReady(START);
            int port = kvsim.api().get("/api/v1/instances").then().statusCode(200).extract().path("[0].port");
            assertTrue(port != taken.getLocalPort());
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                assertEquals("PONG", j.ping());
            }
            assertGracefulExit(kvsim.stop());
        }
    }

    /** Also backups on 6.2 here, so that the bundled engine costs the suite one kvsim start. */
    @Test
    void withoutRedisOnPathTheBundledEngineRunsADualReplicaInstanceThatBacksUpAndRestores() throws Exception {
        try (KvsimProcess kvsim = new KvsimProcess(Files.createTempDirectory("kvsim-it"), 0)
                .env("PATH", "/nonexistent")) {
            kvsim.start().awaitReady(START);
            assertTrue(kvsim.output().contains("(bundled with kvsim (embedded-redis))"), kvsim.output());
            JsonPath i = kvsim.api().get("/api/v1/instances").then().statusCode(200).extract().jsonPath();
            assertTrue(i.getString("[0].engineVersion").startsWith("6.2"), i.getString("[0].engineVersion"));
            assertTrue(Files.exists(kvsim.dataDir.resolve("engine")), "extracted into the data directory");
            try (Jedis j = new Jedis("127.0.0.1", i.getInt("[0].port"))) {
                j.set("on", "6.2");
                assertEquals("6.2", j.get("on"));
                assertTrue(j.info("replication").contains("connected_slaves:1"));
            }

            // a backup (the replica's RDB) and a restore from it (6.2's single-file AOF); no backup log before 7.0
            String id = i.getString("[0].instanceId");
            long backup = kvsim.api().post("/api/v1/instances/" + id + "/backups?wait=true").then().statusCode(201)
                    .body("status", equalTo("Success")).extract().jsonPath().getLong("backups[0].backupId");
            try (Jedis j = new Jedis("127.0.0.1", i.getInt("[0].port"))) {
                j.set("on", "later");
                j.set("later", "1");
            }
            kvsim.api().contentType(ContentType.JSON).body(Map.of("backupId", backup))
                    .post("/api/v1/instances/" + id + "/restore?wait=true").then().statusCode(200)
                    .body("status", equalTo("Normal"));
            try (Jedis j = new Jedis("127.0.0.1", i.getInt("[0].port"))) {
                assertEquals("6.2", j.get("on"), "restored");
                assertNull(j.get("later"), "restored");
            }
            kvsim.api().contentType(ContentType.JSON).body(Map.of("enableBackupLog", true))
                    .put("/api/v1/instances/" + id + "/backup-policy").then().statusCode(400)
                    .body("code", equalTo("IncorrectEngineVersion")).body("message", containsString("7.0"));
            kvsim.api().contentType(ContentType.JSON).body(Map.of("restoreTime", "2026-01-01T00:00:00Z"))
                    .post("/api/v1/instances/" + id + "/restore").then().statusCode(400)
                    .body("code", equalTo("IncorrectEngineVersion"));

            // the read-only privilege's rules name only what Redis 6.2 has (no FUNCTION, no -config|set)
            kvsim.api().contentType(ContentType.JSON).body(Map.of("accountName", "reporting", "accountPassword", "Reader0nly!",
                    "accountPrivilege", "RoleReadOnly")).post("/api/v1/instances/" + id + "/accounts").then().statusCode(201);
            try (Jedis ro = new Jedis("127.0.0.1", i.getInt("[0].port"))) {
                ro.auth("reporting", "Reader0nly!");
                assertEquals("6.2", ro.get("on"));
                redis.clients.jedis.exceptions.JedisDataException e = org.junit.jupiter.api.Assertions.assertThrows(
                        redis.clients.jedis.exceptions.JedisDataException.class, ro::configResetStat);
                assertEquals("NOPERM this user has no permissions to run the 'config' command or its subcommand", e.getMessage());
                assertFalse(ro.configGet("maxmemory").isEmpty());
            }
            assertGracefulExit(kvsim.stop());
        }
    }

    @Test
    void aClusterInstanceComesBackWithEveryShardsDataAfterARestartOfKvsim() throws Exception {
        try (KvsimProcess kvsim = new KvsimProcess(Files.createTempDirectory("kvsim-it"), 0,
                "-Dkvsim.default-instance.enabled=false")) {
            kvsim.start().awaitReady(START);
            JsonPath c = kvsim.api().contentType(ContentType.JSON)
                    .body(Map.of("instanceClass", "redis.logic.sharding.2g.8db.0rodb.8proxy.default",
                            "overrides", Map.of("shardCount", 2)))
                    .post("/api/v1/instances?wait=true").then().statusCode(201).extract().jsonPath();
            int port = c.getInt("port");
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                for (int n = 0; n < 100; n++) {
                    j.set("c:" + n, "v" + n);
                }
            }
            assertEquals(4, kvsim.nodeProcesses().size());
            assertGracefulExit(kvsim.stop());
            kvsim.start().awaitReady(START);
            kvsim.api().get("/api/v1/instances/" + c.getString("instanceId")).then().body("status", equalTo("Normal"));
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                assertEquals(100, j.dbSize());
                assertEquals("v77", j.get("c:77"));
            }
            assertGracefulExit(kvsim.stop());
            assertTrue(kvsim.nodeProcesses().isEmpty());
        }
    }

    @Test
    void aDataDirectoryUnderTildeIsTheUsersHomeForTheNodesAndTheStoreAlike() throws Exception {
        Path home = Files.createTempDirectory("kvsim-home");
        try (KvsimProcess kvsim = new KvsimProcess(home.resolve("kv"), 0, "-Duser.home=" + home,
                "-Dkvsim.default-instance.instance-class=redis.basic.micro.default")) {
            kvsim.start("-Dkvsim.data-dir=~/kv").awaitReady(START);
            assertTrue(Files.isDirectory(home.resolve("kv/instances")), "nodes under the home directory");
            assertTrue(Files.exists(home.resolve("kv/store/kvsim.mv.db")), "the store there too");
            assertFalse(Files.exists(Path.of("~")), "no directory literally named ~");
            assertGracefulExit(kvsim.stop());
        } finally {
            try (var walk = Files.walk(home)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
