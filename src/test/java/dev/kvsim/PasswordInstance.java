package dev.kvsim;

import io.restassured.path.json.JsonPath;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An instance with a password ({@code vpcAuthMode} Open), created through the admin API and
 * Normal, and clients that have logged in to it. Closing it deletes the instance.
 */
public final class PasswordInstance implements AutoCloseable {

    public static final String PASSWORD = "Passw0rd!";

    private final JsonPath view;

    private PasswordInstance(JsonPath view) {
        this.view = view;
    }

    /** A single-node instance (redis.basic.micro.default). */
    public static PasswordInstance create() {
        return create("redis.basic.micro.default", Map.of());
    }

    /** A cluster instance of two shards. */
    public static PasswordInstance createCluster() {
        return create("redis.logic.sharding.2g.8db.0rodb.8proxy.default", Map.of("overrides", Map.of("shardCount", 2)));
    }

    /** An instance of this class; {@code fields} are further fields of the create request (overrides, …). */
    public static PasswordInstance create(String instanceClass, Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(fields);
        body.put("instanceClass", instanceClass);
        body.put("password", PASSWORD);
        return new PasswordInstance(Instances.create(body));
    }

    public String id() {
        return view.getString("instanceId");
    }

    public int port() {
        return view.getInt("port");
    }

    /** The instance as the create call answered it. */
    public JsonPath view() {
        return view;
    }

    /** A raw connection that has sent {@code AUTH <password>} and read {@code +OK}. */
    public RawClient authenticated() throws IOException {
        RawClient c = new RawClient(port());
        try {
            assertEquals("+OK", c.command("AUTH", PASSWORD).line());
        } catch (IOException | RuntimeException | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** A Jedis connection that has authenticated with the password. */
    public Jedis jedis() {
        Jedis j = new Jedis("127.0.0.1", port());
        try {
            assertEquals("OK", j.auth(PASSWORD));
        } catch (RuntimeException | Error e) {
            j.close();
            throw e;
        }
        return j;
    }

    @Override
    public void close() {
        Instances.delete(id());
    }
}
