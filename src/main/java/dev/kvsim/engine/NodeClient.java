package dev.kvsim.engine;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * kvsim's own control connection to a node (PING, INFO, REPLICAOF, FLUSHALL ...). Blocking: used only
 * from worker threads of the control plane, never on an event loop.
 */
public final class NodeClient implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Redis redis;
    private final RedisConnection connection;

    private NodeClient(Redis redis, RedisConnection connection) {
        this.redis = redis;
        this.connection = connection;
    }

    public static NodeClient connect(Vertx vertx, int port, String password) {
        RedisOptions options = new RedisOptions()
                .setConnectionString("redis://127.0.0.1:" + port)
                .setPassword(password)
                .setProtocolNegotiation(false)
                .setMaxPoolSize(1);
        Redis redis = Redis.createClient(vertx, options);
        try {
            return new NodeClient(redis, await(redis.connect()));
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    public Response send(Command command, String... args) {
        Request request = Request.cmd(command);
        for (String a : args) {
            request.arg(a);
        }
        return await(connection.send(request));
    }

    /** Sends the requests in one pipeline; their replies in order. An error reply fails the whole batch. */
    public java.util.List<Response> sendAll(java.util.List<Request> requests) {
        return requests.isEmpty() ? java.util.List.of() : await(connection.batch(requests));
    }

    public String info(String section) {
        return send(Command.INFO, section).toString();
    }

    @Override
    public void close() {
        connection.close();
        redis.close();
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new NodeCommandException(cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new NodeCommandException("node did not answer within " + TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeCommandException("interrupted", e);
        }
    }

    /** A node refused a command or could not be reached. */
    public static final class NodeCommandException extends RuntimeException {
        NodeCommandException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
