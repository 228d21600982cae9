package dev.kvsim.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's CPU time from {@code /proc/<pid>/stat} (user + system, fields 14 and 15, in clock ticks). Linux
 * only: elsewhere there is no {@code /proc} and a node's CPU usage has no value.
 */
final class ProcessCpu {

    /** The kernel's USER_HZ, 100 on every Linux architecture kvsim runs on ({@code getconf CLK_TCK}). */
    static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {
    }

    /** CPU seconds the process has used, or -1 when it cannot be read (gone, or no /proc). */
    static double seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after[0] is field 3 (state); utime is field 14, stime field 15
            return (Long.parseLong(after[11]) + Long.parseLong(after[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
