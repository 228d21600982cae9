package dev.kvsim;

import dev.kvsim.proxy.BackendTarget;
import dev.kvsim.proxy.InstanceProxy;

import java.util.List;

/** Puts a running instance's endpoint, for a moment, in the state of one whose nodes are not up yet. */
public final class NodesDown {

    /** What a test does meanwhile. */
    public interface Body {
        void run() throws Exception;
    }

    private NodesDown() {
    }

    /** Runs {@code body} while the endpoint routes to no master (as while Creating or Rebooting), then routes back. */
    public static void meanwhile(InstanceProxy proxy, Body body) throws Exception {
        List<BackendTarget> masters = proxy.routing().masters();
        proxy.updateRouting(r -> r.withMasters(null));
        try {
            body.run();
        } finally {
            proxy.updateRouting(r -> r.withMasters(masters));
        }
    }
}
