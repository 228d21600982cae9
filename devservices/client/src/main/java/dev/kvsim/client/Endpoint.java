package dev.kvsim.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Where a Redis client connects to an instance: host, port and the password (null for a password-free one). */
public record Endpoint(String instanceId, String host, int port, String password) {

    /** {@code redis://[:password@]host:port}, the form the Quarkus and Lettuce clients take. */
    public String redisUri() {
        String auth = password == null ? "" : ":" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@";
        return "redis://" + auth + host + ":" + port;
    }
}
