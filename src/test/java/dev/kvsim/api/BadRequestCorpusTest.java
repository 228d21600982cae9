package dev.kvsim.api;

import dev.kvsim.Instances;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.kvsim.Instances.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A corpus of bad requests sent to every endpoint of admin-api.md: bad JSON, wrong shapes and
 * types, fractions, huge numbers, unknown fields, nulls, oversized bodies, wrong content types,
 * unknown ids and absurd query values. Each answer is a 4xx in the error envelope, naming the
 * field when one is at fault, never a Java type; no answer is a 500.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadRequestCorpusTest {

    /** What gives a Java type away: a package name, a class Jackson names, the backticks it quotes types in. */
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";

    private static final Pattern JAVA_TYPE = Pattern.compile(
            "(java|javax|jakarta|dev\\.kvsim|com\\.fasterxml|org\\.jboss)\\.[a-z]|`|Exception|\\b(LinkedHashMap|ArrayList|HashMap"
                    + "|Integer|Boolean|Double|BigInteger|JsonToken|START_ARRAY|START_OBJECT)\\b");

    /** A field's JSON kind, and values of every other kind. */
    enum Kind {
        INTEGER("\"7\"", "1.5", "1e400", "123456789012345678901234567890", "true", "{}", "[]"),
        NUMBER("\"0.5\"", "true", "{}", "[]"),
        STRING("5", "1.5", "true", "{}", "[]"),
        FLAG("\"yes\"", "1", "{}", "[]"),
        TIME("\"tomorrow\"", "5", "1.5", "\"+999999999-12-31T23:59:59Z\"", "\"-999999999-01-01T00:00:00Z\"", "{}"),
        OBJECT("\"x\"", "5", "[]", "true"),
        ARRAY("\"x\"", "5", "{}", "true"),
        /** A parameter's value: a string or a number, as the service's Config JSON has them, never a fraction of an integer. */
        PARAMETER_INTEGER("1.5", "\"x\"", "1e400", "123456789012345678901234567890", "true", "{}", "[]"),
        PARAMETER_WORD("5", "\"nope\"", "true", "{}", "[]");

        final List<String> wrong;

        Kind(String... wrong) {
            this.wrong = List.of(wrong);
        }
    }

    record Field(String name, Kind kind) {
    }

    /**
     * An endpoint and the body it takes: fields of an object, the fields of an array's objects, or
     * none; {@code base}: the fields a body needs besides the one at fault (raw JSON values).
     */
    record Endpoint(String method, String path, boolean array, List<Field> fields, Map<String, String> base) {
        Endpoint(String method, String path, boolean array, List<Field> fields) {
            this(method, path, array, fields, Map.of());
        }

        boolean takesBody() {
            return array || fields != null;
        }
    }

    private String id;
    private String faultId;
    private List<Endpoint> endpoints;

    @BeforeAll
    void createInstance() {
        JsonPath i = Instances.createSingle();
        id = i.getString("instanceId");
        given().contentType(ContentType.JSON).body(Map.of("accountName", "app", "accountPassword", "Passw0rd!app"))
                .post("/api/v1/instances/" + id + "/accounts").then().statusCode(201);
        faultId = Instances.fault(id, Map.of("type", "latency", "attributes", Map.of("latencyMs", 1), "durationMs", 600_000))
                .getString("faultId");
        String in = "/api/v1/instances/" + id;
        List<Field> faultFields = List.of(new Field("type", Kind.STRING), new Field("target", Kind.OBJECT),
                new Field("target.shard", Kind.INTEGER), new Field("target.node", Kind.STRING),
                new Field("target.proxy", Kind.INTEGER), new Field("stream", Kind.STRING), new Field("toxicity", Kind.NUMBER),
                new Field("attributes", Kind.OBJECT), new Field("match", Kind.OBJECT), new Field("match.commands", Kind.ARRAY),
                new Field("match.keyPattern", Kind.STRING), new Field("startAt", Kind.TIME),
                new Field("durationMs", Kind.INTEGER), new Field("seed", Kind.INTEGER), new Field("slaExcluded", Kind.FLAG));
        endpoints = List.of(
                new Endpoint("GET", "/api/v1/classes", false, null),
                new Endpoint("GET", "/api/v1/classes/redis.master.small.default", false, null),
                new Endpoint("POST", "/api/v1/instances", false, List.of(new Field("instanceClass", Kind.STRING),
                        new Field("name", Kind.STRING), new Field("password", Kind.STRING), new Field("port", Kind.INTEGER),
                        new Field("vpcAuthMode", Kind.STRING), new Field("overrides", Kind.OBJECT),
                        new Field("overrides.memoryMb", Kind.INTEGER), new Field("overrides.maxConnections", Kind.INTEGER),
                        new Field("overrides.bandwidthMBps", Kind.INTEGER), new Field("overrides.qps", Kind.INTEGER),
                        new Field("overrides.shardCount", Kind.INTEGER))),
                new Endpoint("GET", "/api/v1/instances", false, null),
                new Endpoint("GET", in, false, null),
                new Endpoint("DELETE", "/api/v1/instances/r-000000000000000000", false, null),
                new Endpoint("POST", in + "/flush", false, List.of(new Field("db", Kind.INTEGER))),
                new Endpoint("POST", "/api/v1/instances/r-000000000000000000/restart", false, null),
                new Endpoint("POST", in + "/major-version", false, List.of(new Field("majorVersion", Kind.STRING),
                        new Field("effectiveTime", Kind.STRING))),
                new Endpoint("POST", in + "/backups", false, List.of(new Field("retentionDays", Kind.INTEGER))),
                new Endpoint("GET", in + "/backups", false, null),
                new Endpoint("GET", "/api/v1/backups/1", false, null),
                new Endpoint("GET", "/api/v1/backups/1/file", false, null),
                new Endpoint("GET", in + "/backup-policy", false, null),
                new Endpoint("PUT", in + "/backup-policy", false, List.of(new Field("preferredBackupPeriod", Kind.ARRAY),
                        new Field("preferredBackupTime", Kind.STRING), new Field("backupRetentionPeriod", Kind.INTEGER),
                        new Field("enableBackupLog", Kind.FLAG))),
                new Endpoint("POST", in + "/restore", false, List.of(new Field("backupId", Kind.INTEGER),
                        new Field("restoreTime", Kind.STRING))),
                new Endpoint("GET", in + "/metrics", false, null),
                new Endpoint("GET", "/api/v1/metrics/latest", false, null),
                new Endpoint("GET", "/api/v1/metrics/keys", false, null),
                new Endpoint("GET", in + "/slow-log", false, null),
                new Endpoint("GET", in + "/running-log", false, null),
                new Endpoint("GET", in + "/parameters", false, null),
                new Endpoint("PATCH", in + "/parameters", false, List.of(new Field("hz", Kind.PARAMETER_INTEGER),
                        new Field("maxmemory-policy", Kind.PARAMETER_WORD))),
                new Endpoint("GET", in + "/security-ips", false, null),
                new Endpoint("PUT", in + "/security-ips", true, List.of(new Field("name", Kind.STRING), new Field("ips", Kind.ARRAY))),
                new Endpoint("PUT", in + "/security-ips/default", false, List.of(new Field("ips", Kind.ARRAY),
                        new Field("mode", Kind.STRING))),
                new Endpoint("GET", in + "/accounts", false, null),
                new Endpoint("POST", in + "/accounts", false, List.of(new Field("accountName", Kind.STRING),
                        new Field("accountPassword", Kind.STRING), new Field("accountPrivilege", Kind.STRING))),
                new Endpoint("DELETE", in + "/accounts/nobody", false, null),
                new Endpoint("PUT", in + "/accounts/app/password", false, List.of(new Field("accountPassword", Kind.STRING))),
                new Endpoint("PUT", in + "/accounts/app/privilege", false, List.of(new Field("accountPrivilege", Kind.STRING))),
                new Endpoint("POST", in + "/switchover", false, List.of(new Field("switchType", Kind.STRING),
                        new Field("switchMode", Kind.INTEGER), new Field("shard", Kind.INTEGER), new Field("readOnlyMs", Kind.INTEGER))),
                new Endpoint("GET", in + "/maintenance-window", false, null),
                new Endpoint("PUT", in + "/maintenance-window", false, List.of(new Field("maintainStartTime", Kind.STRING),
                        new Field("maintainEndTime", Kind.STRING))),
                new Endpoint("GET", in + "/events", false, null),
                new Endpoint("GET", in + "/faults", false, null),
                new Endpoint("POST", in + "/faults", false, faultFields,
                        Map.of("type", "\"latency\"", "attributes", "{\"latencyMs\": 1}")),
                new Endpoint("GET", "/api/v1/faults", false, null),
                new Endpoint("GET", "/api/v1/faults/" + faultId, false, null),
                new Endpoint("DELETE", "/api/v1/faults/f-0000000000000000", false, null),
                new Endpoint("POST", "/api/v1/faults/reset", false, null),
                new Endpoint("GET", in + "/sla", false, null),
                new Endpoint("GET", "/api/v1/sla", false, null),
                new Endpoint("GET", "/api/v1/clock", false, null),
                new Endpoint("POST", "/api/v1/clock/advance", false, List.of(new Field("durationMs", Kind.INTEGER))));
    }

    @AfterAll
    void deleteInstance() {
        given().delete("/api/v1/faults/" + faultId);
        Instances.delete(id);
    }

    @Test
    void everyEndpointIsListedHere() throws Exception {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("docs/admin-api.md"));
        java.util.regex.Matcher m = Pattern.compile("\\| `(GET|POST|PUT|PATCH|DELETE) (/api/v1/[^`\\[]*)").matcher(doc);
        List<String> missing = new ArrayList<>();
        while (m.find()) {
            String documented = m.group(1) + " " + m.group(2).replaceAll("\\{[^}]+}", "*");
            boolean covered = endpoints.stream().anyMatch(e -> documented.equals(e.method() + " "
                    + e.path().replace(id, "*").replace(faultId, "*").replaceAll("/r-0+(?=/|$)", "/*")
                    .replace("/f-0000000000000000", "/*").replace("redis.master.small.default", "*")
                    .replace("/default", "/*").replace("/nobody", "/*").replace("/app/", "/*/").replace("/backups/1", "/backups/*")));
            if (!covered) {
                missing.add(documented);
            }
        }
        assertEquals(List.of(), missing, "documented endpoints the corpus does not reach");
    }

    @Test
    void wrongTypesFractionsHugeNumbersAndUnknownFieldsAreRefusedNamingTheField() {
        for (Endpoint e : endpoints) {
            if (!e.takesBody()) {
                continue;
            }
            for (Field f : e.fields()) {
                for (String wrong : f.kind().wrong) {
                    String body = body(e, f.name(), wrong, e.base());
                    Answer r = send(e, JSON_TYPE, body);
                    assertRefused(r, e, body, f.name());
                }
            }
            String unknown = body(e, "notAField", "1", e.base());
            assertRefused(send(e, JSON_TYPE, unknown), e, unknown, "notAField");
        }
    }

    @Test
    void badJsonWrongShapesAndNullsAreRefused() {
        for (Endpoint e : endpoints) {
            if (!e.takesBody()) {
                continue;
            }
            for (String bad : List.of("{\"a\":", "{'a': 1}", "[1, 2", "nul", "\"\\uZZZZ\"", "{\"a\" 1}")) {
                assertRefused(send(e, JSON_TYPE, bad), e, bad, null);
            }
            String wrongShape = e.array() ? "{\"name\": \"default\"}" : "[{\"a\": 1}]";
            assertRefused(send(e, JSON_TYPE, wrongShape), e, wrongShape, null);
            for (String scalar : List.of("5", "\"text\"", "true", "1.5")) {
                assertRefused(send(e, JSON_TYPE, scalar), e, scalar, null);
            }
            for (Field f : e.fields()) {
                String withNull = body(e, f.name(), "null", Map.of());
                Answer r = send(e, JSON_TYPE, withNull);
                assertNever500(r, e, withNull);
            }
            Answer empty = send(e, JSON_TYPE, "null");
            assertNever500(empty, e, "null");
        }
    }

    @Test
    void wrongContentTypesAndOversizedBodiesAreRefusedOnEveryEndpoint() {
        String big = "{\"a\": \"" + "x".repeat(1024 * 1024) + "\"}";  // just over the 1 MB the API takes
        for (Endpoint e : endpoints) {
            Answer tooBig = send(e, JSON_TYPE, big);
            assertRefused(tooBig, e, "(1 MB)", null);
            assertEquals(413, tooBig.statusCode(), e.method() + " " + e.path());
            assertEquals("RequestEntityTooLarge", tooBig.field("code"));
            if (e.method().equals("GET")) {
                continue;
            }
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                    "application/xml", "application/octet-stream")) {
                Answer r = send(e, type, "{\"db\": 1}");
                assertRefused(r, e, type, "Content-Type");
                assertEquals(415, r.statusCode(), e.method() + " " + e.path() + " " + type);
            }
        }
    }

    @Test
    void unknownIdsAndAbsurdQueryValuesAreClearErrors() {
        String gone = "/api/v1/instances/r-000000000000000000";
        for (String path : List.of(gone, gone + "/parameters", gone + "/security-ips", gone + "/accounts",
                gone + "/maintenance-window", gone + "/events", gone + "/faults", gone + "/sla",
                "/api/v1/faults/f-0000000000000000", "/api/v1/classes/redis.master.none", "/api/v1/instances/" + id + "/nope",
                "/api/v1/" + "x".repeat(2000))) {
            Answer r = send("GET", path, null, null);
            assertRefused(r, new Endpoint("GET", path, false, null), "", null);
            assertEquals(404, r.statusCode(), path);
        }
        for (String month : List.of("+999999999-12", "-0001-01", "2026-13", "2026-1.5", "999999999999", "2026-00", "x")) {
            for (String path : List.of("/api/v1/sla", "/api/v1/instances/" + id + "/sla")) {
                Answer r = send("GET", path + "?month=" + java.net.URLEncoder.encode(month, java.nio.charset.StandardCharsets.UTF_8),
                        null, null);
                assertRefused(r, new Endpoint("GET", path, false, null), month, "month");
                assertEquals(400, r.statusCode(), path + "?month=" + month);
            }
        }
        for (String since : List.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "1.5", "yesterday")) {
            Answer r = send("GET", "/api/v1/instances/" + id + "/events?since="
                    + java.net.URLEncoder.encode(since, java.nio.charset.StandardCharsets.UTF_8), null, null);
            assertRefused(r, new Endpoint("GET", "events", false, null), since, "since");
        }
        Answer far = send("POST", "/api/v1/instances/" + id + "/faults", JSON_TYPE,
                "{\"type\": \"latency\", \"attributes\": {\"latencyMs\": 1}, \"startAt\": \"+999999999-12-31T23:59:59Z\"}");
        assertRefused(far, new Endpoint("POST", "faults", false, null), "far startAt", "startAt");
        Answer forever = send("POST", "/api/v1/instances/" + id + "/faults", JSON_TYPE,
                "{\"type\": \"latency\", \"attributes\": {\"latencyMs\": 1}, \"durationMs\": " + Long.MAX_VALUE + "}");
        assertRefused(forever, new Endpoint("POST", "faults", false, null), "endless durationMs", "durationMs");
        given().get("/api/v1/instances/" + id + "/faults").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(1));  // nothing of the refused ones was stored
    }

    @Test
    void aFractionalPortIsRefusedInsteadOfListeningOnPortOne() {
        Answer r = send("POST", "/api/v1/instances", JSON_TYPE, "{\"instanceClass\": \"redis.basic.micro.default\", \"port\": 1.5}");
        assertEquals(400, r.statusCode());
        assertEquals("Field 'port' must be an integer; got 1.5.", r.field("message"));
        Answer huge = send("POST", "/api/v1/instances", JSON_TYPE, "{\"instanceClass\": \"redis.basic.micro.default\", \"port\": 99999999999}");
        assertEquals(400, huge.statusCode());
        assertEquals("Field 'port' must be an integer from -2147483648 to 2147483647.", huge.field("message"));
        Answer group = send("PUT", "/api/v1/instances/" + id + "/security-ips", JSON_TYPE, "{\"name\": \"default\"}");
        assertEquals("The request body must be an array.", group.field("message"));
        given().get("/api/v1/instances").then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(1));
    }

    /** A body with {@code field} (possibly nested, "overrides.memoryMb") set to the raw JSON {@code value}. */
    private static String body(Endpoint e, String field, String value, Map<String, String> base) {
        String[] parts = field.split("\\.");
        String inner = "\"" + parts[parts.length - 1] + "\": " + value;
        for (int k = parts.length - 2; k >= 0; k--) {
            inner = "\"" + parts[k] + "\": {" + inner + "}";
        }
        StringBuilder object = new StringBuilder("{").append(inner);
        base.forEach((name, raw) -> {
            if (!name.equals(parts[0])) {
                object.append(", \"").append(name).append("\": ").append(raw);
            }
        });
        object.append('}');
        return e.array() ? "[" + object + "]" : object.toString();
    }

    /**
     * Sends the body as written, whatever the content type says. The JDK's HTTP client rather than
     * RestAssured for the corpus: about a thousand requests, which RestAssured's per-request setup
     * and Groovy JSON paths would make take minutes.
     */
    private static Answer send(Endpoint e, String type, String body) {
        return send(e.method(), e.path(), type, body);
    }

    private static Answer send(String method, String path, String type, String body) {
        int port = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body());
        } catch (java.io.IOException | InterruptedException ex) {
            throw new AssertionError(method + " " + shorten(path) + ": " + ex, ex);
        }
    }

    /** An answer: status, content type and body. */
    record Answer(int statusCode, String contentType, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (java.io.IOException ex) {
                throw new AssertionError("not JSON: " + shorten(body), ex);
            }
        }

        String field(String name) {
            JsonNode n = json().get(name);
            return n == null || n.isNull() ? null : n.asText();
        }
    }

    private static void assertNever500(Answer r, Endpoint e, String body) {
        String what = e.method() + " " + shorten(e.path()) + " " + shorten(body) + " -> " + r.statusCode() + " " + shorten(r.body());
        assertTrue(r.statusCode() < 500, what);
        if (r.statusCode() >= 400) {
            assertTrue(r.contentType().startsWith("application/json"), what);
            assertTrue(!JAVA_TYPE.matcher(r.field("message")).find(), "a Java type in: " + what);
        }
    }

    private static void assertRefused(Answer r, Endpoint e, String body, String field) {
        String what = e.method() + " " + shorten(e.path()) + " " + shorten(body) + " -> " + r.statusCode() + " " + shorten(r.body());
        assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, what);
        assertTrue(r.contentType().startsWith("application/json"), what);
        assertTrue(r.field("code") != null && r.field("requestId") != null, what);
        String message = r.field("message");
        assertTrue(message != null && !JAVA_TYPE.matcher(message).find(), "a Java type in: " + what);
        if (field != null) {
            String named = field.replaceAll("^target\\.|^overrides\\.|^match\\.", "");
            assertTrue(message.contains(named), "the field " + field + " is not named: " + what);
        }
    }

    private static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
