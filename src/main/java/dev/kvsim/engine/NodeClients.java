package dev.kvsim.engine;

import dev.kvsim.core.DaemonThreads;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Control connections kept open to nodes for work that polls them every second (monitoring, logs), instead of a
 * connection and AUTH per poll: one per node process, opened on first use, reopened after a failure or when the
 * node's process changed. Calls run on their own threads, and a node whose previous call has not finished is
 * skipped, so that a hung node (a paused one answers nothing for seconds) delays only its own polls.
 */
public final class NodeClients implements AutoCloseable {

    /** Every connection's CLIENT SETNAME: kvsim's own polling, told apart from clients' connections. */
    public static final String NAME_PREFIX = "kvsim-";

    private final NodeManager nodes;
    private final String name;
    private final ExecutorService pool;
    private final Map<String, Link> links = new ConcurrentHashMap<>();

    private static final class Link {
        final long pid;
        final AtomicBoolean busy = new AtomicBoolean();
        volatile NodeClient client;

        Link(long pid) {
            this.pid = pid;
        }

        synchronized void close() {
            if (client != null) {
                client.close();
                client = null;
            }
        }
    }

    /** @param purpose names the connections ({@code kvsim-<purpose>}) and the pool's threads */
    public NodeClients(NodeManager nodes, String purpose) {
        this.nodes = nodes;
        this.name = NAME_PREFIX + purpose;
        String threadName = "kvsim-" + purpose;
        this.pool = Executors.newCachedThreadPool(DaemonThreads.named(threadName));
    }

    /**
     * Runs {@code work} with the node's connection on a pool thread. A failure closes the connection (the next
     * call opens a new one) and completes the future exceptionally.
     *
     * @return the work's result, or null when the node's previous call is still running
     */
    public <T> CompletableFuture<T> call(NodeProcess node, Function<NodeClient, T> work) {
        Link link = links.compute(node.nodeId(), (id, l) -> {
            if (l != null && l.pid != node.pid()) {
                l.close();  // the node was restarted or replaced: a new process, a new connection
                return new Link(node.pid());
            }
            return l == null ? new Link(node.pid()) : l;
        });
        if (!link.busy.compareAndSet(false, true)) {
            return null;
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                NodeClient client = link.client;
                if (client == null) {
                    client = nodes.client(node);
                    client.send(io.vertx.redis.client.Command.CLIENT, "SETNAME", name);  // kvsim's own, in CLIENT LIST and SLOWLOG
                    link.client = client;
                }
                return work.apply(client);
            } catch (RuntimeException e) {
                link.close();
                throw e;
            } finally {
                link.busy.set(false);
            }
        }, pool);
    }

    /** Closes the connections of nodes not in {@code live} (node IDs): instances deleted, stopped or changed. */
    public void retain(Set<String> live) {
        links.entrySet().removeIf(e -> {
            if (live.contains(e.getKey())) {
                return false;
            }
            e.getValue().close();
            return true;
        });
    }

    @Override
    public void close() {
        pool.shutdownNow();
        links.values().forEach(Link::close);
        links.clear();
    }
}
