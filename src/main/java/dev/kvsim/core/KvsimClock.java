package dev.kvsim.core;

import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one clock every time-dependent decision of the control plane reads (events, maintenance
 * windows, SLA minutes), and the one every schedule runs on (fault start and end, work waiting for
 * the maintenance window): moving it forward runs what has become due, so that tests and
 * experiments advance time instead of waiting for it. Health probes and I/O timeouts stay on real time.
 */
@ApplicationScoped
public class KvsimClock {

    private static final Duration MAX_WAIT = Duration.ofDays(1);

    private final Clock system = Clock.systemUTC();
    private volatile Duration offset = Duration.ZERO;
    /** Timers by due instant (then by creation, so that equal instants run in order); guarded by itself. */
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    /**
     * Due tasks run one after the other in the order of their instants (a jump of the clock runs them
     * as time would have), off the waker's thread since they may block briefly (a node kill waits
     * for the exit); long work hands itself off to its own executor.
     */
    private final ExecutorService workers = Executors.newSingleThreadExecutor(DaemonThreads.named("kvsim-clock-task"));
    private Thread waker;
    private boolean stopped;

    public Instant now() {
        return system.instant().plus(offset);
    }

    /** Moves kvsim's time forward (tests and experiments); never backward. What becomes due runs at once. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time only moves forward");
        }
        synchronized (timers) {
            offset = offset.plus(by);
            timers.notifyAll();
        }
    }

    /**
     * Tests only: back to the system's time, as if it had never been moved, so that a test that moved
     * the clock leaves it as it found it: waiting timers move back by as much (a fault's end, the
     * next accounting minute), so that they stay as far ahead as they were.
     */
    public void resetForTests() {
        synchronized (timers) {
            Duration back = offset;
            offset = Duration.ZERO;
            List<Timer> waiting = new ArrayList<>(timers);
            timers.clear();
            waiting.forEach(t -> t.at = t.at.minus(back));
            timers.addAll(waiting);
            timers.notifyAll();
        }
    }

    /** Runs {@code task} once kvsim's time reaches {@code at} (at once if it already has). */
    public Timer schedule(Instant at, Runnable task) {
        Timer t = new Timer(at, sequence.incrementAndGet(), task);
        synchronized (timers) {
            if (stopped) {
                return t;
            }
            timers.add(t);
            if (waker == null) {
                waker = DaemonThreads.named("kvsim-clock").newThread(this::wake);
                waker.start();
            }
            timers.notifyAll();
        }
        return t;
    }

    /** Runs {@code task} after {@code delay} of kvsim's time. */
    public Timer after(Duration delay, Runnable task) {
        return schedule(now().plus(delay), task);
    }

    /** Hands each due timer to a worker; sleeps until the next is due or the clock moves. */
    private void wake() {
        synchronized (timers) {
            while (!stopped) {
                Timer next = timers.peek();
                if (next != null && next.cancelled) {
                    timers.poll();
                    continue;
                }
                Instant now = now();
                if (next != null && !next.at.isAfter(now)) {
                    timers.poll();
                    workers.execute(next::run);
                    continue;
                }
                // nothing due: sleep until the next is (at most a day, so that far instants cannot overflow),
                // or until something is scheduled or the clock moves; 0 waits for either of those
                long waitMs = 0;
                if (next != null) {
                    Duration left = Duration.between(now, next.at);
                    waitMs = Math.max(1, (left.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : left).toMillis());
                }
                try {
                    timers.wait(waitMs);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @PreDestroy
    void stop() {
        synchronized (timers) {
            stopped = true;
            timers.clear();
            timers.notifyAll();
        }
        workers.shutdownNow();
    }

    /** A task waiting for an instant of kvsim's time. */
    public static final class Timer implements Comparable<Timer> {
        /** Changes only under the clock's lock, while the timer is out of the queue. */
        private volatile Instant at;
        private final long order;
        private final Runnable task;
        private volatile boolean cancelled;

        private Timer(Instant at, long order, Runnable task) {
            this.at = at;
            this.order = order;
            this.task = task;
        }

        public Instant at() {
            return at;
        }

        /** The task will not run (unless it already has started). */
        public void cancel() {
            cancelled = true;
        }

        private void run() {
            if (cancelled) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                Log.warnf(e, "a task scheduled for %s failed", at);
            }
        }

        @Override
        public int compareTo(Timer o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }
}
