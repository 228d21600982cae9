package dev.kvsim.api;

import dev.kvsim.Instances;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static dev.kvsim.Instances.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A web page in the user's browser cannot drive the admin API: no cross-origin or cross-site
 * request, no form or text body, no foreign Host (DNS rebinding), no endless body; health stays
 * reachable for probes.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserSafetyTest {

    private String id;
    private int port;
    private int apiPort;

    @BeforeAll
    void createInstance() {
        JsonPath i = Instances.createSingle();
        id = i.getString("instanceId");
        port = i.getInt("port");
        apiPort = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    @AfterAll
    void deleteInstance() {
        Instances.delete(id);
    }

    @Test
    void aCrossOriginFlushIsRefusedAndTheDataStays() {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.set("kept", "1");
            given().header("Origin", "http://evil.example").post("/api/v1/instances/" + id + "/flush")
                    .then().statusCode(403).body("code", equalTo("Forbidden"))
                    .body("message", containsString("origin 'http://evil.example'"));
            given().header("Origin", "null").contentType(ContentType.JSON).body("{}").post("/api/v1/instances/" + id + "/flush")
                    .then().statusCode(403);
            given().header("Sec-Fetch-Site", "cross-site").get("/api/v1/instances").then().statusCode(403)
                    .body("message", containsString("Sec-Fetch-Site"));
            assertEquals("1", j.get("kept"), "nothing was flushed");
            // kvsim's own origin (its console, later) may
            given().header("Origin", "http://127.0.0.1:" + apiPort).header("Sec-Fetch-Site", "same-origin")
                    .post("/api/v1/instances/" + id + "/flush").then().statusCode(200);
            assertEquals(null, j.get("kept"));
        }
    }

    @Test
    void textAndFormBodiesAreRefusedOnStateChangingCalls() {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.set("kept", "1");
            for (ContentType type : new ContentType[] {ContentType.TEXT, ContentType.URLENC}) {
                given().config(io.restassured.RestAssured.config().encoderConfig(io.restassured.config.EncoderConfig
                                .encoderConfig().encodeContentTypeAs(type.toString(), ContentType.TEXT)))
                        .contentType(type).body("{\"db\": 0}").post("/api/v1/instances/" + id + "/flush")
                        .then().statusCode(415).body("code", equalTo("UnsupportedMediaType"))
                        .body("message", containsString("Content-Type: application/json"));
            }
            assertEquals("1", j.get("kept"));
            given().contentType(ContentType.JSON).body("{\"db\": 0}").post("/api/v1/instances/" + id + "/flush")
                    .then().statusCode(200);
            assertEquals(null, j.get("kept"), "a JSON body, or none, still works");
        }
    }

    @Test
    void aForeignHostIsRefusedSoThatDnsRebindingReadsNothing() throws Exception {
        String rebound = raw("GET /api/v1/instances HTTP/1.1\r\nHost: evil.example:" + apiPort + "\r\nConnection: close\r\n\r\n");
        assertTrue(rebound.startsWith("HTTP/1.1 403"), rebound);
        assertTrue(rebound.contains("\"code\":\"Forbidden\"") && rebound.contains("evil.example"), rebound);
        assertTrue(!rebound.contains(id), "no instance leaks");
        for (String host : new String[] {"127.0.0.1:" + apiPort, "localhost:" + apiPort, "127.0.0.2", "[::1]:" + apiPort}) {
            String ok = raw("GET /api/v1/instances HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
            assertTrue(ok.startsWith("HTTP/1.1 200") && ok.contains(id), host + ": " + ok);
        }
        String noHost = raw("GET /api/v1/instances HTTP/1.0\r\n\r\n");
        assertTrue(noHost.startsWith("HTTP/1.0 403") || noHost.startsWith("HTTP/1.1 403"), noHost);
    }

    @Test
    void healthStaysReachableForProbes() throws Exception {
        String health = raw("GET /q/health/ready HTTP/1.1\r\nHost: probe.example\r\nOrigin: http://evil.example\r\n"
                + "Connection: close\r\n\r\n");
        assertTrue(health.startsWith("HTTP/1.1 200") && health.contains("\"status\": \"UP\""), health);
    }

    @Test
    void aTenMegabyteBodyGets413InsteadOfAReset() throws Exception {
        byte[] body = new byte[10 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) 'a');
        String answer = raw("POST /api/v1/instances HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n", body);
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("\"code\":\"RequestEntityTooLarge\"") && answer.contains("at most 1048576"), answer);
        // a client that waits for 100 Continue is answered at once and sends nothing
        String expecting = raw("POST /api/v1/instances HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nExpect: 100-continue\r\n\r\n");
        assertTrue(expecting.startsWith("HTTP/1.1 413") && expecting.contains("RequestEntityTooLarge"), expecting);
        given().get("/api/v1/instances/" + id).then().statusCode(200);
    }

    /** One request over a plain socket (RestAssured and the JDK client set Host themselves); the whole answer. */
    private String raw(String head, byte[]... body) throws Exception {
        try (Socket s = new Socket("127.0.0.1", apiPort)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            for (byte[] b : body) {
                out.write(b);
            }
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            try {
                while ((n = in.read(buf)) > 0) {
                    answer.write(buf, 0, n);
                    if (head.contains("Expect: 100-continue") && answer.toString(StandardCharsets.UTF_8).contains("requestId")) {
                        break;
                    }
                }
            } catch (java.net.SocketException e) {
                throw new AssertionError("the connection was reset after: " + answer.toString(StandardCharsets.UTF_8), e);
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
