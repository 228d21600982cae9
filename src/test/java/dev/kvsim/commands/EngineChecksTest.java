package dev.kvsim.commands;

import dev.kvsim.RedisServerProcess;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The engine's refusals before it runs a command, as {@link EngineChecks} gives them, against a real engine. */
class EngineChecksTest {

    private static RedisServerProcess server;
    private static KeySpecs specs;

    @BeforeAll
    static void startServer() throws Exception {
        server = RedisServerProcess.start();
        Vertx vertx = Vertx.vertx();
        try {
            Redis redis = Redis.createClient(vertx, "redis://127.0.0.1:" + server.port());
            specs = KeySpecs.fromCommandReply(redis.send(Request.cmd(Command.COMMAND))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
            redis.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void refusalsAreTheEnginesOwn() {
        String longArg = "x".repeat(200);
        List<List<String>> samples = List.of(
                List.of("SET", "a"), List.of("GET"), List.of("GET", "a", "b"), List.of("set", "a", "1"),
                List.of("GET", "a"), List.of("NOSUCH", "x", "y"), List.of("NoSuch"), List.of("NOSUCH", longArg, "z"),
                List.of("NOSUCH", "abc", longArg, "z"), List.of("OBJECT", "NOPE", "k"), List.of("OBJECT", "ENCODING"),
                List.of("OBJECT"), List.of("CONFIG"), List.of("CONFIG", "GET"), List.of("config", "get", "maxmemory"),
                List.of("PING"));
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            for (List<String> cmd : samples) {
                assertEquals(engine(j, cmd), EngineChecks.refusal(specs, bytes(cmd)), () -> "refusal of " + cmd);
            }
        }
    }

    /** The engine's error for the command, or null when it ran it. */
    private static String engine(Jedis j, List<String> cmd) {
        try {
            j.sendCommand(() -> cmd.get(0).getBytes(StandardCharsets.UTF_8), cmd.subList(1, cmd.size()).toArray(String[]::new));
            return null;
        } catch (JedisDataException e) {
            return e.getMessage();
        }
    }

    private static List<byte[]> bytes(List<String> cmd) {
        return cmd.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }
}
