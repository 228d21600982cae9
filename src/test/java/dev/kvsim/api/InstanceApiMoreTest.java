package dev.kvsim.api;

import dev.kvsim.Instances;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Status rules while Flushing and Rebooting, the remaining error codes, and what DELETE removes. */
@QuarkusTest
class InstanceApiMoreTest {

    private static String wrongState(String id, String status) {
        return "Current DB instance state does not support this operation. Instance " + id + " is " + status + ".";
    }

    /**
     * A paused master holds the flush (kvsim's FLUSHALL waits for it), so the instance stays
     * Flushing until the pause ends; meanwhile flush, restart and delete are refused.
     */
    @Test
    void whileFlushingFlushRestartAndDeleteAre409() throws Exception {
        JsonPath i = Instances.createSingle();
        String id = i.getString("instanceId");
        try {
            String faultId = Instances.fault(id, Map.of("type", "pause_node", "target", Map.of("node", "master"),
                    "durationMs", 30_000)).getString("faultId");
            CompletableFuture<Response> flush = CompletableFuture.supplyAsync(() -> given().post("/api/v1/instances/" + id + "/flush"));
            Instances.awaitStatus(id, "Flushing");
            for (Function<String, Response> call : java.util.List.<Function<String, Response>>of(
                    x -> given().post("/api/v1/instances/" + x + "/flush"),
                    x -> given().post("/api/v1/instances/" + x + "/restart"),
                    x -> given().delete("/api/v1/instances/" + x))) {
                call.apply(id).then().statusCode(409).body("code", equalTo("IncorrectDBInstanceState"))
                        .body("message", equalTo(wrongState(id, "Flushing")));
            }
            given().delete("/api/v1/faults/" + faultId).then().statusCode(204);
            flush.get(20, TimeUnit.SECONDS).then().statusCode(200).body("status", equalTo("Normal"));
        } finally {
            Instances.awaitStatus(id, "Normal");
            Instances.delete(id);
        }
    }

    @Test
    void whileRebootingFlushAndRestartAre409() {
        JsonPath i = Instances.createDual();
        String id = i.getString("instanceId");
        try {
            assertRefusedWhileRebooting(id, x -> given().post("/api/v1/instances/" + x + "/flush"));
            assertRefusedWhileRebooting(id, x -> given().post("/api/v1/instances/" + x + "/restart"));
        } finally {
            Instances.awaitStatus(id, "Normal");
            Instances.delete(id);
        }
    }

    /** A restart is short (stop and start two nodes): a call that comes too late is retried with a new restart. */
    private static void assertRefusedWhileRebooting(String id, Function<String, Response> call) {
        for (int attempt = 0; attempt < 10; attempt++) {
            given().post("/api/v1/instances/" + id + "/restart").then().statusCode(200).body("status", equalTo("Rebooting"));
            Response r = call.apply(id);
            if (r.statusCode() == 409) {
                r.then().body("code", equalTo("IncorrectDBInstanceState")).body("message", equalTo(wrongState(id, "Rebooting")));
                Instances.awaitStatus(id, "Normal");
                return;
            }
            Instances.awaitStatus(id, "Normal");
        }
        throw new AssertionError("never saw 409 while Rebooting");
    }

    @Test
    void aKnownPathWithTheWrongMethodIs405() {
        given().contentType(ContentType.JSON).body("{}").put("/api/v1/instances").then().statusCode(405)
                .body("code", equalTo("MethodNotAllowed")).body("message", equalTo("HTTP 405 Method Not Allowed"));
        given().delete("/api/v1/classes").then().statusCode(405).body("code", equalTo("MethodNotAllowed"));
    }

    @Test
    void createWithoutJsonContentTypeIs415() {
        given().contentType(ContentType.TEXT).body("{\"instanceClass\": \"redis.basic.micro.default\"}")
                .post("/api/v1/instances").then().statusCode(415)
                .body("code", equalTo("UnsupportedMediaType"))
                .body("message", equalTo("A request that changes something takes a JSON body, or none: send Content-Type:"
                        + " application/json (got 'text/plain; charset=ISO-8859-1')."));
    }

    @Test
    void createWithNoBodyIsMissingParameter() {
        given().contentType(ContentType.JSON).post("/api/v1/instances").then().statusCode(400)
                .body("code", equalTo("MissingParameter"))
                .body("message", equalTo("A JSON body with at least instanceClass is required."));
    }

    @Test
    void aBadVpcAuthModeIsRefused() {
        given().contentType(ContentType.JSON)
                .body(Map.of("instanceClass", "redis.basic.micro.default", "password", "Passw0rd!", "vpcAuthMode", "Shut"))
                .post("/api/v1/instances").then().statusCode(400)
                .body("code", equalTo("InvalidParameter"))
                .body("message", equalTo("vpcAuthMode must be Open or Close; got 'Shut'."));
    }

    @Test
    void anUnknownFieldInTheFlushBodyIsRefusedAndFlushesNothing() throws Exception {
        JsonPath i = Instances.createSingle();
        String id = i.getString("instanceId");
        try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis("127.0.0.1", i.getInt("port"))) {
            j.set("kept", "1");
            given().contentType(ContentType.JSON).body("{\"database\": 3}").post("/api/v1/instances/" + id + "/flush")
                    .then().statusCode(400).body("code", equalTo("InvalidParameter"))
                    .body("message", equalTo("Unknown field 'database'; known fields: db."));
            assertEquals("1", j.get("kept"));
        } finally {
            Instances.delete(id);
        }
    }

    @Test
    void anUnknownIdGetsTheServicesMessageWithTheId() {
        given().get("/api/v1/instances/r-000000000000000000").then().statusCode(404)
                .body("code", equalTo("InvalidInstanceId.NotFound"))
                .body("message", equalTo("The specified instance does not exist: r-000000000000000000."));
    }

    @Test
    void deleteRemovesTheInstancesDirectory() {
        String id = Instances.createDual().getString("instanceId");
        Path dir = Path.of(ConfigProvider.getConfig().getValue("kvsim.data-dir", String.class)).resolve("instances").resolve(id);
        assertTrue(Files.isDirectory(dir.resolve(id + "-db-0")), "the master's directory exists: " + dir);
        assertTrue(Files.exists(dir.resolve(id + "-db-1").resolve("redis.conf")), "the replica's config exists");
        Instances.delete(id);
        assertFalse(Files.exists(dir), dir + " is gone");
    }
}
