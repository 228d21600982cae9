package dev.kvsim.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * JSON over the JDK's HTTP client, with error answers turned into {@link KvsimApiException}s, and kvsim's API
 * token (kvsim.api.token) on every request when there is one.
 */
final class AdminHttp {

    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final String token;

    /** @param token kvsim's API token, or null when it has none */
    AdminHttp(URI base, Duration timeout, String token) {
        this.base = base;
        this.timeout = timeout;
        this.token = token == null || token.isBlank() ? null : token;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    URI base() {
        return base;
    }

    <T> T get(String path, TypeReference<T> type) {
        return read(send("GET", path, null), type);
    }

    <T> T send(String method, String path, Object body, TypeReference<T> type) {
        return read(send(method, path, body), type);
    }

    /** Sends a request; answers its body, or throws the API's error. */
    String send(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(write(body)));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("kvsim admin API at " + base + " did not answer " + method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling kvsim's admin API", e);
        }
        if (response.statusCode() >= 400) {
            throw error(response);
        }
        return response.body();
    }

    private static KvsimApiException error(HttpResponse<String> response) {
        String code = "HttpStatus" + response.statusCode();
        String message = response.body();
        String requestId = null;
        try {
            JsonNode node = JSON.readTree(response.body());
            if (node != null && node.hasNonNull("code")) {
                code = node.get("code").asText();
                message = node.path("message").asText();
                requestId = node.path("requestId").asText(null);
            }
        } catch (JsonProcessingException e) {
            // not JSON (a proxy or a crash page): keep the raw body as the message
        }
        return KvsimApiException.of(response.statusCode(), code, message, requestId);
    }

    private static <T> T read(String body, TypeReference<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("kvsim answered JSON this client cannot read: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write request body: " + e.getOriginalMessage(), e);
        }
    }
}
