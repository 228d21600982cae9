package dev.kvsim.sla;

import dev.kvsim.core.KvsimClock;
import dev.kvsim.proxy.ConnectionRecorder;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connection attempts per instance and accounting minute, from the probe and from the proxy, kept
 * in memory until the minute is over and the accountant judges it.
 */
@ApplicationScoped
public class AttemptLedger implements ConnectionRecorder {

    /** Attempts and successes in one minute. */
    public record Tally(String instanceId, long minute, int attempts, int served) {
        /** The agreement's unavailable minute: at least one attempt, and every one failed. */
        public boolean unavailable() {
            return attempts > 0 && served == 0;
        }
    }

    private final KvsimClock clock;
    private final long minuteMs;
    private final Map<String, TreeMap<Long, int[]>> open = new ConcurrentHashMap<>();

    public AttemptLedger(KvsimClock clock, SlaConfig config) {
        this.clock = clock;
        this.minuteMs = config.minuteLength().toMillis();
    }

    public long minuteMs() {
        return minuteMs;
    }

    /** The index of the accounting minute now (milliseconds since the epoch / minute length). */
    public long currentMinute() {
        return clock.now().toEpochMilli() / minuteMs;
    }

    @Override
    public void attempt(String instanceId, boolean served) {
        long minute = currentMinute();
        TreeMap<Long, int[]> minutes = open.computeIfAbsent(instanceId, id -> new TreeMap<>());
        synchronized (minutes) {
            int[] t = minutes.computeIfAbsent(minute, m -> new int[2]);
            t[0]++;
            if (served) {
                t[1]++;
            }
        }
    }

    /** Takes every minute before {@code current}, to be judged once and forgotten. */
    public List<Tally> closeBefore(long current) {
        List<Tally> closed = new ArrayList<>();
        open.forEach((id, minutes) -> {
            synchronized (minutes) {
                var done = minutes.headMap(current, false);
                done.forEach((minute, t) -> closed.add(new Tally(id, minute, t[0], t[1])));
                done.clear();
            }
        });
        return closed;
    }

    public void forget(String instanceId) {
        open.remove(instanceId);
    }
}
