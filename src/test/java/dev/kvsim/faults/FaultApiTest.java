package dev.kvsim.faults;

import dev.kvsim.Instances;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static dev.kvsim.Instances.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** The faults API refuses what it cannot do with a precise message, and lists, gets and deletes faults. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultApiTest {

    private String dual;
    private String single;

    @BeforeAll
    void create() {
        dual = Instances.createDual().getString("instanceId");
        single = Instances.createSingle().getString("instanceId");
    }

    @AfterAll
    void delete() {
        given().when().post("/api/v1/faults/reset").then().statusCode(200);
        Instances.delete(dual);
        Instances.delete(single);
    }

    private void refused(String id, Object body, int status, String message) {
        given().contentType(ContentType.JSON).body(body).when().post("/api/v1/instances/" + id + "/faults")
                .then().statusCode(status).body("message", containsString(message));
    }

    @Test
    void badFaultsAreRefused() {
        refused(dual, Map.of(), 400, "type is required");
        refused(dual, Map.of("type", "meteor"), 400, "type must be one of latency, bandwidth");
        refused(dual, Map.of("type", "latency", "toxicity", 1.5, "attributes", Map.of("latencyMs", 1)), 400,
                "toxicity must be between 0.0 and 1.0");
        refused(dual, Map.of("type", "latency", "stream", "sideways", "attributes", Map.of("latencyMs", 1)), 400,
                "stream must be upstream or downstream");
        refused(dual, Map.of("type", "latency", "target", Map.of("node", "replica"), "attributes", Map.of("latencyMs", 1)),
                400, "no link to a replica");
        refused(dual, Map.of("type", "delay", "attributes", Map.of("delayMs", "soon")), 400, "attributes.delayMs must be a number");
        refused(dual, Map.of("type", "kill_node", "target", Map.of("shard", 3)), 400, "target.shard must be between 0 and 0");
        refused(dual, Map.of("type", "error_reply", "attributes", Map.of("error", "NOPE")), 400, "attributes.error must be one of");
        refused(dual, Map.of("type", "error_reply", "attributes", Map.of("error", "OOM"),
                "match", Map.of("keyPattern", "a[b")), 400, "unclosed");
        java.util.Map<String, Object> nullJitter = new java.util.HashMap<>();
        nullJitter.put("latencyMs", 5);
        nullJitter.put("jitterMs", null);
        refused(dual, Map.of("type", "latency", "attributes", nullJitter), 400, "attributes.jitterMs is null");
        refused(single, Map.of("type", "kill_node", "target", Map.of("node", "replica")), 400, "has no replica");
        refused("r-doesnotexist000000", Map.of("type", "kill_node"), 404, "does not exist");
        given().contentType(ContentType.JSON).body("{\"type\": ").when().post("/api/v1/instances/" + dual + "/faults")
                .then().statusCode(400);
        given().when().get("/api/v1/faults/f-nosuchfault").then().statusCode(404).body("code", equalTo("InvalidFaultId.NotFound"));
        given().when().delete("/api/v1/faults/f-nosuchfault").then().statusCode(404);
    }

    @Test
    void faultsAreListedAndRemovedByReset() {
        String f = Instances.fault(dual, Map.of("type", "error_reply", "attributes", Map.of("error", "OOM"),
                "match", Map.of("commands", java.util.List.of("lpush")))).getString("faultId");
        given().when().get("/api/v1/instances/" + dual + "/faults").then().statusCode(200)
                .body("find { it.faultId == '" + f + "' }.status", equalTo("Active"));
        given().when().post("/api/v1/faults/reset").then().statusCode(200);
        given().when().get("/api/v1/instances/" + dual + "/faults").then().statusCode(200).body("$", hasSize(0));
    }
}
