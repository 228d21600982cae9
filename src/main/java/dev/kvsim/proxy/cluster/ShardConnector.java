package dev.kvsim.proxy.cluster;

import dev.kvsim.proxy.BackendTarget;
import dev.kvsim.proxy.InstanceProxy;
import io.vertx.core.Context;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Opens a connection to a shard's current master. While the master refuses connections (its process
 * died and HA has not yet promoted the replica), it tries again every {@link #RETRY_MS}, each time
 * at the master the routing names then, so that commands waiting for the shard go to the new master
 * once HA re-links the shard, as the service's proxy holds a failing shard's requests during its
 * failover. It gives up after {@link #GIVE_UP_NANOS}, the service's bound for a failover (30 s).
 * Runs on the caller's event loop.
 */
final class ShardConnector {

    static final long RETRY_MS = 100;
    static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(30);

    private ShardConnector() {
    }

    /**
     * @param wanted     false once the connection is no longer needed (its owner closed): no further try
     * @param connected  gets the socket
     * @param gaveUp     runs when the shard stayed unreachable for {@link #GIVE_UP_NANOS}, or the
     *                   instance has no masters any more (it is stopping)
     */
    static void connect(InstanceProxy proxy, Context context, NetClient client, int shard, BooleanSupplier wanted,
                        Consumer<NetSocket> connected, Runnable gaveUp) {
        attempt(proxy, context, client, shard, wanted, connected, gaveUp, System.nanoTime() + GIVE_UP_NANOS);
    }

    private static void attempt(InstanceProxy proxy, Context context, NetClient client, int shard, BooleanSupplier wanted,
                                Consumer<NetSocket> connected, Runnable gaveUp, long deadline) {
        List<BackendTarget> masters = proxy.routing().masters();
        if (masters == null) {
            gaveUp.run();
            return;
        }
        client.connect(masters.get(shard).port(), "127.0.0.1").onComplete(ar -> {
            if (ar.succeeded()) {
                proxy.limits().descriptors().track(ar.result());
                connected.accept(ar.result());
            } else if (!wanted.getAsBoolean()) {
                return;
            } else if (System.nanoTime() > deadline) {
                gaveUp.run();
            } else {
                context.owner().setTimer(RETRY_MS, t -> {
                    if (wanted.getAsBoolean()) {
                        attempt(proxy, context, client, shard, wanted, connected, gaveUp, deadline);
                    }
                });
            }
        });
    }
}
