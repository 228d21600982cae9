package dev.kvsim.access;

import dev.kvsim.Instances;
import dev.kvsim.RawClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.kvsim.Instances.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whitelists: groups, modes, the default group, and clients from a second loopback address. */
@QuarkusTest
class SecurityIpTest {

    private String id;
    private int port;

    @BeforeEach
    void createInstance() {
        JsonPath i = Instances.createSingle();
        id = i.getString("instanceId");
        port = i.getInt("port");
    }

    @AfterEach
    void deleteInstance() {
        Instances.delete(id);
    }

    private ValidatableResponse putGroup(String group, Object body) {
        return given().contentType(ContentType.JSON).body(body)
                .put("/api/v1/instances/" + id + "/security-ips/" + group).then();
    }

    /** PING from the given local address: "+PONG", or the refusal followed by the server's close. */
    private String pingFrom(String localAddress) throws Exception {
        try (RawClient c = new RawClient(port, localAddress)) {
            c.command("PING");
            String reply = c.line();
            if (reply.startsWith("-")) {
                assertTrue(c.closedByServer(), "a refused client is disconnected");
            }
            return reply;
        }
    }

    @Test
    void theDefaultGroupAdmitsLocalhostOnly() throws Exception {
        given().get("/api/v1/instances/" + id + "/security-ips").then().statusCode(200)
                .body("name", contains("default")).body("[0].ips", contains("127.0.0.1"));
        assertEquals("+PONG", pingFrom("127.0.0.1"));
        assertEquals("-ERR illegal address", pingFrom("127.0.0.2"));
    }

    @Test
    void appendCoverAndDeleteApplyToNewConnectionsAtOnce() throws Exception {
        putGroup("default", Map.of("ips", List.of("127.0.0.2"), "mode", "Append")).statusCode(200)
                .body("[0].ips", contains("127.0.0.1", "127.0.0.2"));
        assertEquals("+PONG", pingFrom("127.0.0.2"));

        try (RawClient open = new RawClient(port, "127.0.0.1")) {
            open.command("PING");
            assertEquals("+PONG", open.line());
            putGroup("default", Map.of("ips", List.of("10.0.0.0/8"), "mode", "Cover")).statusCode(200)
                    .body("[0].ips", contains("10.0.0.0/8"));
            assertEquals("-ERR illegal address", pingFrom("127.0.0.1"));
            open.command("PING");
            assertEquals("+PONG", open.line(), "a connection already open stays");
        }

        putGroup("testers", Map.of("ips", List.of("127.0.0.0/30"))).statusCode(200)
                .body("name", contains("default", "testers"));
        assertEquals("+PONG", pingFrom("127.0.0.2"));
        assertEquals("-ERR illegal address", pingFrom("127.0.0.5"));
        putGroup("testers", Map.of("ips", List.of("127.0.0.0/30"), "mode", "Delete")).statusCode(200);
        assertEquals("-ERR illegal address", pingFrom("127.0.0.2"));

        given().contentType(ContentType.JSON).body(List.of(Map.of("name", "default", "ips", List.of("0.0.0.0/0"))))
                .put("/api/v1/instances/" + id + "/security-ips").then().statusCode(200).body("name", contains("default"));
        assertEquals("+PONG", pingFrom("127.0.0.9"));
    }

    @Test
    void badEntriesAnswer400AndChangeNothing() throws Exception {
        putGroup("default", Map.of("ips", List.of("300.1.1.1"))).statusCode(400)
                .body("code", equalTo("InvalidParameter"))
                .body("message", equalTo("'300.1.1.1' is not an IPv4 address or CIDR block (e.g. 10.0.0.1 or 10.0.0.0/8)."));
        putGroup("default", Map.of("ips", List.of("10.0.0.0/33"))).statusCode(400);
        putGroup("default", Map.of("ips", List.of("example.com"))).statusCode(400);
        putGroup("Bad-Name", Map.of("ips", List.of("127.0.0.2"))).statusCode(400)
                .body("message", equalTo("The group name 'Bad-Name' is not valid: 2 to 120 characters, lower-case "
                        + "letters, digits and underscores, starting with a letter."));
        putGroup("default", Map.of("ips", List.of("127.0.0.2"), "mode", "Replace")).statusCode(400)
                .body("message", equalTo("mode must be Cover, Append or Delete; got 'Replace'."));
        List<String> many = IntStream.range(0, 1000).mapToObj(n -> "10.1." + (n / 256) + "." + (n % 256)).toList();
        putGroup("default", Map.of("ips", many, "mode", "Append")).statusCode(400)
                .body("message", equalTo("A security IP group holds at most 1000 entries; group 'default' would hold 1001."));
        putGroup("default", Map.of("ips", many)).statusCode(200);
        putGroup("default", Map.of("ips", List.of("127.0.0.1"))).statusCode(200);
        putGroup("default", Collections.emptyMap()).statusCode(400).body("code", equalTo("MissingParameter"));
        given().contentType(ContentType.JSON).body("{\"ips\": ").put("/api/v1/instances/" + id + "/security-ips/default")
                .then().statusCode(400);
        given().get("/api/v1/instances/r-nosuchinstance0000/security-ips").then().statusCode(404);
        given().get("/api/v1/instances/" + id + "/security-ips").then().body("[0].ips", contains("127.0.0.1"));
        assertEquals("+PONG", pingFrom("127.0.0.1"));
    }

    private ValidatableResponse putAll(Object groups) {
        return given().contentType(ContentType.JSON).body(groups).put("/api/v1/instances/" + id + "/security-ips").then();
    }

    @Test
    void replacingEveryGroupChecksTheWholeListFirstAndChangesNothingOnAnError() throws Exception {
        List<String> many = IntStream.range(0, 1001).mapToObj(n -> "10.1." + (n / 256) + "." + (n % 256)).toList();
        putAll(List.of(Map.of("name", "default", "ips", List.of("0.0.0.0/0")), Map.of("name", "big", "ips", many)))
                .statusCode(400).body("code", equalTo("InvalidParameter"))
                .body("message", equalTo("A security IP group holds at most 1000 entries; group 'big' would hold 1001."));
        putAll(List.of(Map.of("name", "default", "ips", List.of("0.0.0.0/0")),
                Map.of("name", "testers", "ips", List.of("127.0.0.2")),
                Map.of("name", "testers", "ips", List.of("127.0.0.3"))))
                .statusCode(400).body("code", equalTo("InvalidParameter"))
                .body("message", equalTo("The group 'testers' is listed twice."));

        given().get("/api/v1/instances/" + id + "/security-ips").then()
                .body("name", contains("default")).body("[0].ips", contains("127.0.0.1"));
        assertEquals("-ERR illegal address", pingFrom("127.0.0.2"), "the valid groups before the bad one were not applied");
        assertEquals("+PONG", pingFrom("127.0.0.1"));

        putAll(List.of(Map.of("name", "default", "ips", many.subList(0, 1000)))).statusCode(200)
                .body("[0].ips.size()", equalTo(1000));
    }
}
