package dev.kvsim.proxy;

import dev.kvsim.resp.Resp;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections a cluster instance's proxy holds to each shard (shared and per-client ones),
 * counted against the service's per-shard backend cap. Thread-safe: event loops share it.
 */
public final class ShardConnections {

    private static final Buffer CREDENTIALS_REFUSED = Resp.error("ERR kvsim: a shard refused kvsim's credentials");

    private final Map<Integer, AtomicInteger> open = new ConcurrentHashMap<>();
    private volatile int cap = Integer.MAX_VALUE;

    public void setCap(int cap) {
        this.cap = cap;
    }

    /** Takes a connection slot of the shard; false when the shard already has {@code cap} connections. */
    boolean tryAcquire(int shard) {
        AtomicInteger n = open.computeIfAbsent(shard, s -> new AtomicInteger());
        while (true) {
            int now = n.get();
            if (now >= cap) {
                return false;
            }
            if (n.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void release(int shard) {
        open.get(shard).decrementAndGet();
    }

    /** The connections open (or opening) to the shard. */
    public int open(int shard) {
        AtomicInteger n = open.get(shard);
        return n == null ? 0 : n.get();
    }

    /**
     * What a client is told when a shard answers a new connection's login with an error: the
     * engine's own refusal when the node is full (it sends that instead of a reply, then closes),
     * else that kvsim's credentials were refused.
     */
    static Buffer refusal(Buffer engineError) {
        return engineError.toString(StandardCharsets.UTF_8).startsWith("-ERR max number of clients reached")
                ? ProxySession.MAX_CLIENTS : CREDENTIALS_REFUSED;
    }
}
