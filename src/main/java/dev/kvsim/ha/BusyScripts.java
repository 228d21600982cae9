package dev.kvsim.ha;

import dev.kvsim.core.KvsimClock;
import dev.kvsim.engine.NodeProbe;
import dev.kvsim.engine.NodeProcess;
import dev.kvsim.events.Event;
import dev.kvsim.events.EventStore;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What HA makes of a node that does not answer its check because it is busy, and what it does with
 * a master stuck in a script. The service's documentation says nothing of the latter, so kvsim
 * follows Redis Sentinel's documented rule: a node that answers {@code -BUSY} is alive; once it has
 * gone the profile's {@code hung-after} without a usable answer, HA sends {@code SCRIPT KILL} (or
 * {@code FUNCTION KILL}) once; only a script that cannot be killed because it wrote
 * ({@code -UNKILLABLE}) gets its master failed over.
 *
 * <p>Before the engine's busy threshold (5 s) a node running a script does not answer at all. HA tells
 * it from a stopped process (the {@code pause_node} fault) by its CPU time: a live process busy with a
 * script or a long command uses CPU, a stopped one does not.
 */
@ApplicationScoped
public class BusyScripts {

    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(2);

    private final EventStore events;
    private final KvsimClock clock;

    public BusyScripts(EventStore events, KvsimClock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** Whether the process used CPU time between the two readings: it is working, not stopped. */
    static boolean working(Optional<Duration> before, Optional<Duration> after) {
        return before.isPresent() && after.isPresent() && after.get().compareTo(before.get()) > 0;
    }

    /**
     * The node answered {@code -BUSY} after {@code silentFor} without a usable answer: past the
     * profile's hung-after, its script is killed (once per busy spell).
     *
     * @param killSent whether this spell's kill was sent already
     * @return what happened: nothing yet, the kill sent (the script ends), or the script cannot be killed
     */
    Outcome busy(String instanceId, int shard, NodeProcess node, String password, NodeProbe.BusyException busy,
                 Duration silentFor, Duration hungAfter, boolean killSent) {
        if (killSent || silentFor.compareTo(hungAfter) < 0 || !busy.script()) {
            return Outcome.WAITING;
        }
        String command = busy.function() ? "FUNCTION KILL" : "SCRIPT KILL";
        String reply;
        try {
            reply = NodeProbe.killScript(node.port(), password, KILL_TIMEOUT, busy.function());
        } catch (IOException e) {
            Log.warnf("instance %s: %s on node %s got no answer: %s", instanceId, command, node.nodeId(), e.getMessage());
            return Outcome.WAITING;
        }
        if (reply.startsWith("-NOTBUSY")) {
            return Outcome.KILLED;  // it ended meanwhile
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("shard", shard);
        d.put("node", node.nodeId());
        d.put("command", command);
        d.put("busyForMs", silentFor.toMillis());
        d.put("reply", reply.startsWith("+") || reply.startsWith("-") ? reply.substring(1) : reply);
        d.put("at", clock.now().toString());
        events.record(instanceId, Event.SCRIPT_KILLED, d);
        return reply.startsWith("-UNKILLABLE") ? Outcome.UNKILLABLE : Outcome.KILLED;
    }

    /** What became of a busy node's script. */
    enum Outcome {
        /** Not past hung-after yet, or the kill was sent: the node is alive. */
        WAITING,
        /** SCRIPT KILL / FUNCTION KILL ended it. */
        KILLED,
        /** It wrote: it cannot be killed, and its master is failed over. */
        UNKILLABLE
    }
}
