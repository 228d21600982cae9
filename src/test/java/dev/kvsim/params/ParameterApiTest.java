package dev.kvsim.params;

import dev.kvsim.Instances;
import dev.kvsim.PatternMessages;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.Map;
import java.util.Set;

import static dev.kvsim.Instances.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET and PATCH …/parameters: listed with their rules, applied to the nodes and the proxy, bad input refused. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParameterApiTest {

    private String id;
    private int port;

    @BeforeAll
    void createInstance() {
        JsonPath i = Instances.create(Map.of("instanceClass", "redis.master.micro.default"));
        id = i.getString("instanceId");
        port = i.getInt("port");
    }

    @AfterAll
    void deleteInstance() {
        Instances.delete(id);
    }

    private io.restassured.response.ValidatableResponse patch(String json) {
        return given().contentType(ContentType.JSON).body(json).patch("/api/v1/instances/" + id + "/parameters").then();
    }

    private String param(String name) {
        return given().get("/api/v1/instances/" + id + "/parameters").then().statusCode(200)
                .extract().path("find { it.name == '" + name + "' }.value");
    }

    private String configGet(Jedis j, String name) {
        return j.configGet(name).get(name);
    }

    @Test
    void listsEveryParameterWithDefaultModifiableFlagAndDescription() {
        given().get("/api/v1/instances/" + id + "/parameters").then().statusCode(200)
                .body("name", hasItems("maxmemory-policy", "timeout", "notify-keyspace-events", "hz",
                        "lazyfree-lazy-eviction", "hash-max-ziplist-entries", "hash-max-listpack-entries",
                        "slowlog-log-slower-than", "slowlog-max-len", "#no_loose_disabled-commands",
                        "script_check_enable", "databases"))
                .body("find { it.name == 'maxmemory-policy' }.default", equalTo("volatile-lru"))
                .body("find { it.name == 'maxmemory-policy' }.modifiable", equalTo(true))
                .body("find { it.name == 'maxmemory-policy' }.description", containsString("evicted"))
                .body("find { it.name == 'databases' }.modifiable", equalTo(false));
        given().get("/api/v1/instances/r-nosuchinstance0000/parameters").then().statusCode(404)
                .body("code", equalTo("InvalidInstanceId.NotFound"));
    }

    @Test
    void theIssuesParametersHaveTheirDefaultsAndAreModifiableAndDescribed() {
        Map<String, String> defaults = new java.util.LinkedHashMap<>();
        defaults.put("maxmemory-policy", "volatile-lru");
        defaults.put("timeout", "0");
        defaults.put("notify-keyspace-events", "");
        defaults.put("hz", "10");
        defaults.put("lazyfree-lazy-eviction", "no");
        defaults.put("hash-max-ziplist-entries", "512");
        defaults.put("hash-max-listpack-entries", "512");
        defaults.put("slowlog-log-slower-than", "20000");
        defaults.put("slowlog-max-len", "1024");
        defaults.put("#no_loose_disabled-commands", "");
        defaults.put("script_check_enable", "1");
        defaults.put("proxy_resp3_enable", "1");
        defaults.put("kvsim-bandwidth-mode", "combined");
        defaults.put("kvsim-qps-limit", "no");
        java.util.List<Map<String, Object>> listed = given().get("/api/v1/instances/" + id + "/parameters").then()
                .statusCode(200).extract().jsonPath().getList("$");
        defaults.forEach((name, value) -> {
            Map<String, Object> p = listedAs(listed, name);
            assertEquals(value, p.get("default"), name + "'s default");
            assertEquals(true, p.get("modifiable"), name + " is modifiable");
            assertTrue(p.get("description") instanceof String d && d.length() > 20, name + " has a description");
            assertTrue(p.get("allowedValues") instanceof String a && !a.isEmpty(), name + " names its allowed values");
        });
        assertEquals("combined", listedAs(listed, "kvsim-bandwidth-mode").get("value"),
                "an instance nobody changed counts inbound and outbound together");
        assertEquals("no", listedAs(listed, "kvsim-qps-limit").get("value"), "the QPS cap is off by default");
    }

    private static Map<String, Object> listedAs(java.util.List<Map<String, Object>> listed, String name) {
        return listed.stream().filter(e -> name.equals(e.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not listed"));
    }

    @Test
    void changesReachTheEngineAndSurviveARestart() {
        patch("{\"hz\": 20, \"slowlog-max-len\": \"2000\", \"hash-max-listpack-entries\": 64, "
                + "\"notify-keyspace-events\": \"Ex\"}").statusCode(200)
                .body("find { it.name == 'hz' }.value", equalTo("20"))
                .body("find { it.name == 'hash-max-listpack-entries' }.value", equalTo("64"));
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertEquals("20", configGet(j, "hz"));
            assertEquals("2000", configGet(j, "slowlog-max-len"));
            assertEquals("64", configGet(j, "hash-max-ziplist-entries"));
            assertEquals("xE", configGet(j, "notify-keyspace-events"));
        }
        given().post("/api/v1/instances/" + id + "/restart?wait=true").then().statusCode(200);
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertEquals("20", configGet(j, "hz"), "new nodes start with the stored parameters");
            assertEquals("64", configGet(j, "hash-max-ziplist-entries"));
        }
        patch("{\"hz\": 10, \"slowlog-max-len\": 1024, \"hash-max-ziplist-entries\": 512, \"notify-keyspace-events\": \"\"}")
                .statusCode(200);
    }

    @Test
    void disabledCommandsAnswerTheServiceErrorAndRunNothing() {
        patch("{\"#no_loose_disabled-commands\": \"keys,flushdb\"}").statusCode(200);
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.set("kept", "1");
            JedisDataException keys = assertThrows(JedisDataException.class, () -> j.keys("*"));
            assertEquals("ERR command 'KEYS' not support for normal user", keys.getMessage());
            JedisDataException flush = assertThrows(JedisDataException.class, j::flushDB);
            assertEquals("ERR command 'FLUSHDB' not support for normal user", flush.getMessage());
            assertEquals("1", j.get("kept"));
        } finally {
            patch("{\"#no_loose_disabled-commands\": \"\"}").statusCode(200);
        }
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.keys("*");
        }
    }

    @Test
    void keyspaceEventsSetThroughTheApiReachASubscriber() throws Exception {
        patch("{\"notify-keyspace-events\": \"KEA\"}").statusCode(200);
        try (PatternMessages events = new PatternMessages(port, "__key*@0__:*");
             Jedis writer = new Jedis("127.0.0.1", port)) {
            writer.set("ks:1", "v");
            assertEquals(Set.of("__keyspace@0__:ks:1 set", "__keyevent@0__:set ks:1"), Set.of(events.next(), events.next()));
        } finally {
            patch("{\"notify-keyspace-events\": \"\"}").statusCode(200);
        }
    }

    @Test
    void badChangesAnswer400AndChangeNothing() {
        patch("{\"hz\": 20, \"maxmemory-policy\": \"sometimes\"}").statusCode(400)
                .body("code", equalTo("InvalidParameter"))
                .body("message", equalTo("Invalid value 'sometimes' for parameter 'maxmemory-policy': allowed values are "
                        + "one of allkeys-lfu, allkeys-lru, allkeys-random, noeviction, volatile-lfu, volatile-lru, "
                        + "volatile-random, volatile-ttl."));
        assertEquals("10", param("hz"), "nothing changed");
        patch("{\"hz\": 0}").statusCode(400).body("message", containsString("an integer from 1 to 500"));
        patch("{\"hz\": true}").statusCode(400).body("message", containsString("parameter 'hz'"));
        patch("{\"colour\": \"red\"}").statusCode(400)
                .body("message", equalTo("Unknown parameter 'colour'; the parameters that can be changed are "
                        + "maxmemory-policy, timeout, notify-keyspace-events, hz, lazyfree-lazy-eviction, "
                        + "hash-max-ziplist-entries, slowlog-log-slower-than, slowlog-max-len, "
                        + "#no_loose_disabled-commands, script_check_enable, proxy_resp3_enable, kvsim-bandwidth-mode, "
                        + "kvsim-qps-limit, hash-max-listpack-entries."));
        patch("{\"databases\": \"16\"}").statusCode(400)
                .body("message", equalTo("The parameter 'databases' cannot be modified."));
        patch("{}").statusCode(400).body("code", equalTo("MissingParameter"));
        patch("[1]").statusCode(400).body("code", equalTo("InvalidParameter"));
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertEquals("10", configGet(j, "hz"));
            assertEquals("volatile-lru", configGet(j, "maxmemory-policy"));
        }
    }
}
