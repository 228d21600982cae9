package dev.kvsim.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static dev.kvsim.Instances.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With kvsim.api.token set, the admin API answers only requests that carry it; probes need none. */
@QuarkusTest
@TestProfile(ApiTokenTest.WithToken.class)
class ApiTokenTest {

    static final String TOKEN = "s3cret-token-of-this-test";

    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kvsim.api.token", TOKEN, "kvsim.api.allowed-hosts", "kvsim.test, Build-Box.local");
        }
    }

    @Test
    void callsWithoutTheTokenAreRefusedAndCallsWithItAnswered() {
        given().get("/api/v1/classes").then().statusCode(401).body("code", equalTo("InvalidToken"))
                .header("WWW-Authenticate", "Bearer realm=\"kvsim\"")
                .body("message", equalTo("This kvsim requires its API token (kvsim.api.token): send the header"
                        + " Authorization: Bearer <token>."));
        given().header("Authorization", "Bearer wrong").get("/api/v1/classes").then().statusCode(401);
        given().header("Authorization", "Basic " + TOKEN).get("/api/v1/classes").then().statusCode(401);
        given().header("Authorization", "Bearer " + TOKEN).post("/api/v1/faults/reset").then().statusCode(200)
                .body("removed", equalTo(0));
        given().header("Authorization", "bearer " + TOKEN).get("/api/v1/clock").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void aConfiguredHostIsServedBesideLoopback() throws Exception {
        assertTrue(get("kvsim.test:1234", "Authorization: Bearer " + TOKEN + "\r\n").startsWith("HTTP/1.1 200"));
        assertTrue(get("build-box.local", "Authorization: Bearer " + TOKEN + "\r\n").startsWith("HTTP/1.1 200"));
        assertTrue(get("other.test", "Authorization: Bearer " + TOKEN + "\r\n").startsWith("HTTP/1.1 403"));
    }

    private static String get(String host, String headers) throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /api/v1/clock HTTP/1.1\r\nHost: " + host + "\r\n" + headers
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
