package dev.kvsim.api;

import dev.kvsim.Instances;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class InstanceApiTest {

    @Test
    void createsADualReplicaInstanceWithTheServiceShape() {
        JsonPath created = given().contentType(ContentType.JSON)
                .body(Map.of("name", "orders-cache", "instanceClass", "redis.master.small.default"))
                .when().post("/api/v1/instances")
                .then().statusCode(201)
                .body("instanceId", matchesPattern("r-[a-z0-9]{18}"))
                .body("status", equalTo("Creating"))
                .extract().jsonPath();
        String id = created.getString("instanceId");
        awaitStatus(id, "Normal");
        JsonPath i = given().get("/api/v1/instances/" + id).then().statusCode(200)
                .body("name", equalTo("orders-cache"))
                .body("architecture", equalTo("standard"))
                .body("nodeType", equalTo("double"))
                .body("host", equalTo("127.0.0.1"))
                .body("vpcAuthMode", equalTo("Close"))
                .body("engineVersion", matchesPattern("[0-9]+\\.[0-9]+\\.[0-9]+"))
                .body("limits.memoryMb", equalTo(1024))
                .body("limits.maxConnections", equalTo(10000))
                .body("limits.bandwidthMBps", equalTo(10))
                .body("limits.qps", equalTo(80000))
                .body("nodes.role", equalTo(List.of("master", "replica")))
                .body("nodes.state", equalTo(List.of("up", "up")))
                .extract().jsonPath();
        given().get("/api/v1/instances").then().statusCode(200).body("instanceId", hasItem(id));

        int port = i.getInt("port");
        long masterPid = i.getLong("nodes[0].pid");
        long replicaPid = i.getLong("nodes[1].pid");
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertEquals("OK", j.set("k", "v"));
        }
        Instances.delete(id);
        assertFalse(ProcessHandle.of(masterPid).map(ProcessHandle::isAlive).orElse(false), "master process stopped");
        assertFalse(ProcessHandle.of(replicaPid).map(ProcessHandle::isAlive).orElse(false), "replica process stopped");
        assertThrows(java.io.IOException.class, () -> new Socket("127.0.0.1", port).close(), "port closed");
        given().get("/api/v1/instances/" + id).then().statusCode(404);
    }

    @Test
    void singleReplicaHasOneNodeAndOverridesApply() {
        JsonPath i = Instances.create(Map.of("instanceClass", "redis.basic.small.default",
                "overrides", Map.of("memoryMb", 64, "maxConnections", 20, "bandwidthMBps", 1)));
        String id = i.getString("instanceId");
        try {
            assertEquals("single", i.getString("nodeType"));
            assertEquals(1, i.getList("nodes").size());
            assertEquals(64, i.getInt("limits.memoryMb"));
            assertEquals(20, i.getInt("limits.maxConnections"));
            try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
                assertEquals(Map.of("maxmemory", Long.toString(64L * 1024 * 1024)), j.configGet("maxmemory"));
                assertEquals(Map.of("maxclients", "20"), j.configGet("maxclients"));
                assertEquals(Map.of("maxmemory-policy", "volatile-lru"), j.configGet("maxmemory-policy"));
                assertEquals(Map.of("databases", "256"), j.configGet("databases"));
                assertEquals(Map.of("appendonly", "no"), j.configGet("appendonly"));
            }
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void dualReplicaNodesPersistWithAofAndTheReplicaIsReadOnlyAndSynced() {
        JsonPath i = Instances.create(Map.of("instanceClass", "redis.master.micro.default"));
        String id = i.getString("instanceId");
        try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
            assertEquals(Map.of("appendonly", "yes"), j.configGet("appendonly"));
            assertEquals(Map.of("appendfsync", "everysec"), j.configGet("appendfsync"));
            String replication = j.info("replication");
            assertTrue(replication.contains("role:master"), replication);
            assertTrue(replication.contains("connected_slaves:1"), replication);
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void explicitPortIsUsedAndItsConflictsAreRefused() throws Exception {
        int port = dev.kvsim.engine.FreePorts.pick();
        JsonPath i = Instances.create(Map.of("instanceClass", "redis.basic.micro.default", "port", port));
        String id = i.getString("instanceId");
        try {
            assertEquals(port, i.getInt("port"));
            given().contentType(ContentType.JSON).body(Map.of("instanceClass", "redis.basic.micro.default", "port", port))
                    .post("/api/v1/instances").then().statusCode(400)
                    .body("code", equalTo("InvalidParameter"))
                    .body("message", equalTo("The port " + port + " is already used by another instance."));
        } finally {
            Instances.delete(id);
        }
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            given().contentType(ContentType.JSON).body(Map.of("instanceClass", "redis.basic.micro.default",
                            "port", taken.getLocalPort()))
                    .post("/api/v1/instances").then().statusCode(400)
                    .body("message", equalTo("The port " + taken.getLocalPort() + " is already in use by another process."));
        }
    }

    @Test
    void flushEmptiesAllDatabasesOrOne() {
        JsonPath i = Instances.createSingle();
        String id = i.getString("instanceId");
        try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
            j.select(3);
            j.set("a", "1");
            j.select(0);
            j.set("b", "2");
            given().contentType(ContentType.JSON).body(Map.of("db", 3)).post("/api/v1/instances/" + id + "/flush")
                    .then().statusCode(200).body("status", equalTo("Normal"));
            assertEquals("2", j.get("b"));
            j.select(3);
            assertNull(j.get("a"));
            given().post("/api/v1/instances/" + id + "/flush").then().statusCode(200);
            j.select(0);
            assertNull(j.get("b"));
            given().contentType(ContentType.JSON).body(Map.of("db", 256)).post("/api/v1/instances/" + id + "/flush")
                    .then().statusCode(400).body("code", equalTo("InvalidParameter"))
                    .body("message", containsString("between 0 and 255"));
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void restartKeepsDualReplicaDataAndDropsConnections() {
        JsonPath i = Instances.create(Map.of("instanceClass", "redis.master.micro.default"));
        String id = i.getString("instanceId");
        long oldPid = i.getLong("nodes[0].pid");
        try {
            try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
                j.set("survives", "restart");
                given().post("/api/v1/instances/" + id + "/restart?wait=true").then().statusCode(200)
                        .body("status", equalTo("Normal"))
                        .body("nodes[0].pid", not(equalTo(oldPid)));
                assertThrows(Exception.class, j::ping, "the old connection was dropped");
            }
            try (Jedis j = new Jedis("127.0.0.1", i.getInt("port"))) {
                assertEquals("restart", j.get("survives"));
            }
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void callsTheStatusForbidsAre409() {
        assertRefusedWhileCreating(id -> given().post("/api/v1/instances/" + id + "/flush"));
        assertRefusedWhileCreating(id -> given().post("/api/v1/instances/" + id + "/restart"));
        assertRefusedWhileCreating(id -> given().delete("/api/v1/instances/" + id));
    }

    /**
     * Creating lasts as long as the nodes take to start (tens of milliseconds), so the call races
     * the start; a lost race (the instance was already Normal) is retried with a new instance.
     */
    private static void assertRefusedWhileCreating(java.util.function.Function<String, io.restassured.response.Response> call) {
        for (int attempt = 0; attempt < 10; attempt++) {
            JsonPath created = given().contentType(ContentType.JSON)
                    .body(Map.of("instanceClass", "redis.master.micro.default"))
                    .post("/api/v1/instances").then().statusCode(201).extract().jsonPath();
            String id = created.getString("instanceId");
            assertEquals("Creating", created.getString("status"));
            io.restassured.response.Response r = call.apply(id);
            if (r.statusCode() != 204) {
                awaitStatus(id, "Normal");
                Instances.delete(id);
            }
            if (r.statusCode() == 409) {
                r.then().body("code", equalTo("IncorrectDBInstanceState"))
                        .body("message", equalTo("Current DB instance state does not support this operation. Instance "
                                + id + " is Creating."));
                return;
            }
        }
        throw new AssertionError("never saw 409 while Creating");
    }

    @Test
    void unknownInstanceIs404OnEveryPath() {
        String missing = "r-000000000000000000";
        for (String path : List.of("", "/flush", "/restart")) {
            var req = given();
            var resp = path.isEmpty() ? req.get("/api/v1/instances/" + missing) : req.post("/api/v1/instances/" + missing + path);
            resp.then().statusCode(404).body("code", equalTo("InvalidInstanceId.NotFound"))
                    .body("message", containsString(missing));
        }
        given().delete("/api/v1/instances/" + missing).then().statusCode(404).body("code", equalTo("InvalidInstanceId.NotFound"));
    }

    @Test
    void badInputIs400WithAPreciseMessage() {
        post("{\"instanceClass\": \"redis.master.nope\"}").statusCode(400)
                .body("code", equalTo("InvalidInstanceClass.NotFound"))
                .body("message", containsString("'redis.master.nope' does not exist"));
        post("{}").statusCode(400).body("code", equalTo("MissingParameter"))
                .body("message", equalTo("instanceClass is required."));
        post("{\"instanceClass\": ").statusCode(400).body("code", equalTo("InvalidParameter"))
                .body("message", containsString("not valid JSON"));
        post("{\"instanceClass\": \"redis.master.micro.default\", \"colour\": 1}").statusCode(400)
                .body("message", containsString("Unknown field 'colour'"));
        post("{\"instanceClass\": \"redis.master.micro.default\", \"port\": \"six\"}").statusCode(400)
                .body("message", equalTo("Field 'port' must be an integer."));
        post("{\"instanceClass\": \"redis.master.micro.default\", \"overrides\": 5}").statusCode(400)
                .body("message", equalTo("Field 'overrides' must be an object."));
        post("{\"instanceClass\": \"redis.master.micro.default\", \"port\": 70000}").statusCode(400)
                .body("message", equalTo("port must be between 1 and 65535 (or 0 for a free port); got 70000."));
        post("{\"instanceClass\": \"redis.master.micro.default\", \"password\": \"short\"}").statusCode(400)
                .body("code", equalTo("InvalidPassword.Malformed"))
                .body("message", equalTo("The password must be 8 to 32 characters long."));
        post("{\"instanceClass\": \"redis.master.micro.default\", \"password\": \"alllowercase\"}").statusCode(400)
                .body("message", containsString("at least three of"));
        post("{\"instanceClass\": \"redis.master.micro.default\", \"vpcAuthMode\": \"Open\"}").statusCode(400)
                .body("code", equalTo("MissingParameter"));
        post("{\"instanceClass\": \"redis.master.micro.default\", \"overrides\": {\"memoryMb\": 0}}").statusCode(400)
                .body("message", equalTo("overrides.memoryMb must be at least 1; got 0."));
        post("{\"instanceClass\": \"redis.logic.sharding.2g.8db.0rodb.8proxy.default\", \"overrides\": {\"shardCount\": 1}}")
                .statusCode(400).body("message", equalTo("overrides.shardCount must be between 2 and the class's 8 shards; got 1."));
        post("{\"instanceClass\": \"redis.master.micro.default\", \"overrides\": {\"shardCount\": 2}}").statusCode(400)
                .body("message", equalTo("overrides.shardCount applies to cluster classes only."));
        given().get("/api/v1/nothing-here").then().statusCode(404).body("code", equalTo("NotFound"));
    }

    @Test
    void openApiDocumentIsServed() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/instances"));
    }

    private static io.restassured.response.ValidatableResponse post(String json) {
        return given().contentType(ContentType.JSON).body(json).post("/api/v1/instances").then();
    }

    static void awaitStatus(String id, String status) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            String now = given().get("/api/v1/instances/" + id).then().extract().path("status");
            if (status.equals(now)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("instance " + id + " never became " + status);
    }
}
