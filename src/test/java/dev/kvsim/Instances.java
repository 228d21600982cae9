package dev.kvsim;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

import java.util.Map;


/** Creates and deletes instances through the admin API for tests. */
public final class Instances {

    private Instances() {
    }

    /** A request to the admin API; usable in @BeforeAll/@AfterAll too, where RestAssured's port is not set. */
    public static RequestSpecification given() {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        return io.restassured.RestAssured.given().port(port);
    }

    /** Creates an instance and waits until it is Normal; returns its JSON view. */
    public static JsonPath create(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/instances?wait=true")
                .then().log().ifValidationFails().statusCode(201)
                .extract().jsonPath();
    }

    public static JsonPath createSingle() {
        return create(Map.of("instanceClass", "redis.basic.micro.default"));
    }

    public static void delete(String instanceId) {
        given().when().delete("/api/v1/instances/" + instanceId).then().statusCode(204);
    }

    /** A dual-replica instance (master + replica) with a small memory. */
    public static JsonPath createDual() {
        return create(Map.of("instanceClass", "redis.master.small.default", "overrides", Map.of("memoryMb", 64)));
    }

    /** Asks for an account on the instance; the caller checks the answer. */
    public static ValidatableResponse createAccount(String instanceId, String name, String password, String privilege) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("accountName", name, "accountPassword", password, "accountPrivilege", privilege))
                .post("/api/v1/instances/" + instanceId + "/accounts").then();
    }

    /** Injects a fault; returns its JSON view (201 expected). */
    public static JsonPath fault(String instanceId, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/instances/" + instanceId + "/faults")
                .then().statusCode(201)
                .extract().jsonPath();
    }

    public static JsonPath get(String instanceId) {
        return given().when().get("/api/v1/instances/" + instanceId).then().statusCode(200).extract().jsonPath();
    }

    /** The node ID of the shard's current master. */
    public static String master(String instanceId, int shard) {
        return get(instanceId).getString("nodes.find { it.role == 'master' && it.shard == " + shard + " }.nodeId");
    }

    /** Waits (up to 20 s) until the instance has an event of this type after {@code after} events; returns its details. */
    public static Map<String, Object> awaitEvent(String instanceId, String type, int after) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            java.util.List<Map<String, Object>> events = given().when().get("/api/v1/instances/" + instanceId + "/events")
                    .then().statusCode(200).extract().jsonPath().getList("$");
            for (int k = after; k < events.size(); k++) {
                if (type.equals(events.get(k).get("type"))) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> details = (Map<String, Object>) events.get(k).get("details");
                    return details;
                }
            }
            sleep(50);
        }
        throw new AssertionError("no " + type + " event for " + instanceId + " within 20 s");
    }

    /** Waits (up to 20 s) until the fault shows that status (a schedule on kvsim's clock runs on a worker). */
    public static void awaitFaultStatus(String faultId, String status) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        String now = null;
        while (System.nanoTime() < deadline) {
            now = given().when().get("/api/v1/faults/" + faultId).then().statusCode(200).extract().path("status");
            if (status.equals(now)) {
                return;
            }
            sleep(20);
        }
        throw new AssertionError("fault " + faultId + " is " + now + ", not " + status);
    }

    public static int eventCount(String instanceId) {
        return given().when().get("/api/v1/instances/" + instanceId + "/events").then().statusCode(200)
                .extract().jsonPath().getList("$").size();
    }

    /** Waits (up to 20 s) until, per HA's checks, every replica has the offset of its shard's master. */
    public static void awaitReplicated(String instanceId) {
        long start = System.nanoTime();
        long deadline = start + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            java.util.List<Map<String, Object>> nodes = get(instanceId).getList("nodes");
            boolean synced = nodes.stream().filter(n -> "replica".equals(n.get("role"))).allMatch(r -> nodes.stream()
                    .filter(m -> "master".equals(m.get("role")) && m.get("shard").equals(r.get("shard")))
                    .anyMatch(m -> m.get("replicationOffset") != null && m.get("replicationOffset").equals(r.get("replicationOffset"))));
            // The offsets shown are HA's last checks: equal ones seen at once may both predate the writes just made.
            // After a second, several checks (every 100 ms in the fast profile) have looked since.
            if (synced && System.nanoTime() - start >= 1_000_000_000L) {
                return;
            }
            sleep(50);
        }
        throw new AssertionError("the replicas of " + instanceId + " did not catch up within 20 s");
    }

    /** Waits (up to 20 s) for the status. */
    public static void awaitStatus(String instanceId, String status) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        String now = null;
        while (System.nanoTime() < deadline) {
            now = get(instanceId).getString("status");
            if (status.equals(now)) {
                return;
            }
            sleep(20);
        }
        throw new AssertionError(instanceId + " is " + now + ", not " + status + ", after 20 s");
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
