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

    /**
     * The console asks for the token once (a form, no script) and keeps it in a SameSite=Strict, HttpOnly cookie,
     * which its pages and the admin API's calls then carry; a wrong token or a post from another site sets nothing.
     */
    @Test
    void theConsoleAsksForTheTokenOnceAndKeepsItInAStrictCookie() {
        given().redirects().follow(false).get("/console").then().statusCode(401)
                .header("Content-Type", org.hamcrest.Matchers.startsWith("text/html"))
                .body(org.hamcrest.Matchers.containsString("action=\"/console/token\""));
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded").body("token=wrong")
                .post("/console/token").then().statusCode(401).header("Set-Cookie", org.hamcrest.Matchers.nullValue());
        given().redirects().follow(false).header("Origin", "http://evil.example").contentType("application/x-www-form-urlencoded")
                .body("token=" + TOKEN).post("/console/token").then().statusCode(403)
                .header("Set-Cookie", org.hamcrest.Matchers.nullValue());
        io.restassured.response.Response login = given().redirects().follow(false)
                .contentType("application/x-www-form-urlencoded").body("token=" + TOKEN).post("/console/token");
        login.then().statusCode(303).header("Location", org.hamcrest.Matchers.endsWith("/console"));
        String setCookie = login.header("Set-Cookie").toLowerCase(java.util.Locale.ROOT);
        assertTrue(setCookie.contains("samesite=strict") && setCookie.contains("httponly") && setCookie.contains("path=/"),
                setCookie);
        String cookie = login.cookie("kvsim-token");
        given().cookie("kvsim-token", cookie).get("/console").then().statusCode(200);
        given().cookie("kvsim-token", cookie).get("/api/v1/classes").then().statusCode(200);
        given().cookie("kvsim-token", "wrong").get("/api/v1/classes").then().statusCode(401);
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
