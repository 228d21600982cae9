package dev.kvsim.rkvstore;

import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The requests of the clients that use HMAC-SHA1 signatures, byte for byte as their source builds them: the
 * aliyun CLI (old Go SDK: every parameter in the query, {@code SignatureType=} empty and signed) and Terraform's
 * RpcPost (tea-rpc: the common parameters in the query, the action's in a form body).
 */
final class RawRpc {

    private RawRpc() {
    }

    static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    /** The parameters every v1 call carries (AccessKeyId included); Signature is added when signing. */
    static Map<String, String> common(String action, String accessKeyId) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Action", action);
        p.put("Format", "JSON");
        p.put("Version", "2015-01-01");
        p.put("Timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        p.put("SignatureNonce", UUID.randomUUID().toString());
        p.put("SignatureMethod", "HMAC-SHA1");
        p.put("SignatureVersion", "1.0");
        p.put("AccessKeyId", accessKeyId);
        return p;
    }

    /**
     * HMAC-SHA1 over every parameter, empty ones included, as the Go SDKs sign (the Java SDK's signer,
     * {@code com.aliyun.openapiutil.Client.getRPCSignature}, leaves empty values out).
     */
    static String signKeepingEmpty(String method, Map<String, String> params, String secret) throws Exception {
        StringBuilder canonical = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
            canonical.append(canonical.isEmpty() ? "" : "&").append(com.aliyun.openapiutil.Client.percentEncode(e.getKey()))
                    .append('=').append(com.aliyun.openapiutil.Client.percentEncode(e.getValue()));
        }
        String stringToSign = method + "&" + com.aliyun.openapiutil.Client.percentEncode("/") + "&"
                + com.aliyun.openapiutil.Client.percentEncode(canonical.toString());
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec((secret + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
    }

    static String form(Map<String, String> params) {
        return params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /** {@code aliyun r-kvstore <Action> --endpoint 127.0.0.1:<port> --insecure …}: POST, all in the query. */
    static Response cli(String action, Map<String, String> apiParams, String accessKeyId, String secret) throws Exception {
        Map<String, String> q = common(action, accessKeyId);
        q.put("SignatureType", "");
        q.putAll(apiParams);
        q.put("Signature", signKeepingEmpty("POST", q, secret));
        return io.restassured.RestAssured.given().port(port()).urlEncodingEnabled(false)
                .contentType("application/x-www-form-urlencoded").body("")
                .post("/?" + form(q));
    }

    /** Terraform's {@code client.RpcPost("R-kvstore", "2015-01-01", action, nil, form, true)}. */
    static Response terraform(String action, Map<String, String> formParams, String accessKeyId, String secret)
            throws Exception {
        Map<String, String> q = common(action, accessKeyId);
        q.put("Format", "json");
        Map<String, String> signed = new LinkedHashMap<>(q);
        signed.putAll(formParams);
        q.put("Signature", signKeepingEmpty("POST", signed, secret));
        return io.restassured.RestAssured.given().port(port()).urlEncodingEnabled(false)
                .header("x-acs-action", action).header("x-acs-version", "2015-01-01")
                .contentType("application/x-www-form-urlencoded").body(form(formParams))
                .post("/?" + form(q));
    }

    /** A request sent as exact bytes (one no HTTP client would send), answered on a closed connection. */
    static String rawHttp(String requestLine) throws java.io.IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port())) {
            s.getOutputStream().write((requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
