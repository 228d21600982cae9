package dev.kvsim;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The heap in use in this JVM, where a Quarkus test runs kvsim itself: read after full collections
 * until it settles, so that what is left is what kvsim (and the test) still hold.
 */
public final class HeapUse {

    private HeapUse() {
    }

    public static long afterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 6; i++) {
            System.gc();
            Instances.sleep(50);
            long used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(used - last) < 512 * 1024) {
                return Math.min(used, last);
            }
            last = used;
        }
        return last;
    }

    public static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1048576.0);
    }
}
