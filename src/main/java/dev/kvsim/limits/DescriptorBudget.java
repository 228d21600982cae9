package dev.kvsim.limits;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.kvsim.core.DaemonThreads;
import io.quarkus.logging.Log;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The file descriptors kvsim may spend on client connections. Every client connection costs
 * descriptors (a standard instance's two: the client's and its node connection), and a process that
 * runs out of them can no longer answer the admin API, start a node or probe one. So the proxy keeps
 * a reserve for those: when the descriptors open plus a new connection's would cut into it, the
 * connection is refused (with the engine's max-clients text) rather than taken.
 *
 * <p>At start the soft limit ({@code RLIMIT_NOFILE}) is raised to the hard one if the JVM has not
 * done so. The proxy's own sockets are counted exactly as they open and close; the rest (jars, the
 * store, node processes, the admin API) is counted from the process's open descriptors every few
 * seconds, on a thread of its own: counting them takes ~0.1 s per 20,000 descriptors.
 */
public final class DescriptorBudget implements AutoCloseable {

    private static final long SAMPLE_SECONDS = 2;

    private final long reserve;
    private final UnixOperatingSystemMXBean os;
    /** The proxy's sockets open now (clients, node and shard connections). */
    private final AtomicLong proxySockets = new AtomicLong();
    /** Open descriptors other than the proxy's sockets, at the last count. */
    private volatile long others;
    private volatile long limit;
    private final ScheduledExecutorService sampler;

    /** @param reserve descriptors kept for everything but client connections */
    public DescriptorBudget(long reserve) {
        this.reserve = reserve;
        OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        this.os = bean instanceof UnixOperatingSystemMXBean unix ? unix : null;
        if (os == null) {
            // no way to count descriptors here (Windows): nothing is refused for want of them
            this.limit = Long.MAX_VALUE;
            this.sampler = null;
            return;
        }
        raiseSoftLimit();
        sample();
        Log.infof("file descriptors: limit %d, %d open at start, %d kept for the admin API, HA and node starts",
                limit, others, reserve);
        this.sampler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("kvsim-descriptors"));
        sampler.scheduleWithFixedDelay(this::sample, SAMPLE_SECONDS, SAMPLE_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Whether kvsim can spend {@code n} more descriptors on a client connection and still keep its
     * reserve. Cheap: no system call.
     */
    public boolean admits(int n) {
        return others + proxySockets.get() + n <= limit - reserve;
    }

    /** Counts one of the proxy's sockets until it closes. */
    public void track(NetSocket socket) {
        proxySockets.incrementAndGet();
        ((NetSocketInternal) socket).channelHandlerContext().channel().closeFuture()
                .addListener(f -> proxySockets.decrementAndGet());
    }

    /** The soft limit on open descriptors, as last read. */
    public long limit() {
        return limit;
    }

    /** The descriptors open, as estimated now (the last count of others plus the proxy's sockets). */
    public long open() {
        return others + proxySockets.get();
    }

    public long reserve() {
        return reserve;
    }

    /** Whether an I/O failure means the process (or the system) has no descriptor left. */
    public static boolean exhausted(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("Too many open files") || m.contains("EMFILE") || m.contains("ENFILE")) {
                return true;
            }
        }
        return false;
    }

    /** Counts the process's open descriptors; the proxy's sockets opened or closed meanwhile count against the budget. */
    void sample() {
        try {
            long before = proxySockets.get();
            long total = os.getOpenFileDescriptorCount();
            long after = proxySockets.get();
            others = Math.max(0, total - Math.min(before, after));
            limit = os.getMaxFileDescriptorCount();
        } catch (RuntimeException e) {
            Log.debugf(e, "cannot count open file descriptors");
        }
    }

    /**
     * The JVM raises its soft limit to the hard one by itself on Linux (-XX:+MaxFDLimit, the default);
     * when it has not, kvsim does, with util-linux's prlimit, so that the nodes it starts inherit it too.
     */
    private void raiseSoftLimit() {
        long[] limits = linuxLimits();
        if (limits == null || limits[0] >= limits[1]) {
            return;
        }
        String hard = limits[1] == Long.MAX_VALUE ? "unlimited" : Long.toString(limits[1]);
        try {
            Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(ProcessHandle.current().pid()),
                    "--nofile=" + hard + ":" + hard).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                Log.warnf("cannot raise the open-file limit from %d to %s: %s", limits[0], hard, out);
            }
        } catch (IOException e) {
            Log.warnf("cannot raise the open-file limit from %d to %s (prlimit: %s); raise it with ulimit -n",
                    limits[0], hard, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The soft and hard RLIMIT_NOFILE from /proc/self/limits (Long.MAX_VALUE: unlimited), or null elsewhere. */
    private static long[] linuxLimits() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return new long[] {parse(f[0]), parse(f[1])};
                }
            }
        } catch (IOException | RuntimeException e) {
            Log.debugf(e, "cannot read the open-file limits");
        }
        return null;
    }

    private static long parse(String v) {
        return v.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(v);
    }

    @Override
    public void close() {
        if (sampler != null) {
            sampler.shutdownNow();
        }
    }
}
