package dev.kvsim.logs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What kvsim collected of each instance's nodes, in memory and bounded: the last {@link #SLOW_RECORDS} slow log
 * records and the last {@link #NODE_LINES} node log lines per instance, the oldest dropped first. kvsim's own events
 * are in the database and are not kept here.
 */
final class LogBuffers {

    static final int SLOW_RECORDS = 1000;
    static final int NODE_LINES = 5000;

    private final Map<String, ArrayDeque<SlowLogRecord>> slow = new ConcurrentHashMap<>();
    private final Map<String, ArrayDeque<RunningLogRecord>> lines = new ConcurrentHashMap<>();

    void addSlow(String instanceId, List<SlowLogRecord> records) {
        add(slow, instanceId, records, SLOW_RECORDS);
    }

    void addLines(String instanceId, List<RunningLogRecord> records) {
        add(lines, instanceId, records, NODE_LINES);
    }

    List<SlowLogRecord> slow(String instanceId) {
        return copy(slow, instanceId);
    }

    List<RunningLogRecord> lines(String instanceId) {
        return copy(lines, instanceId);
    }

    void forget(String instanceId) {
        slow.remove(instanceId);
        lines.remove(instanceId);
    }

    private static <T> void add(Map<String, ArrayDeque<T>> map, String instanceId, List<T> records, int max) {
        if (records.isEmpty()) {
            return;
        }
        ArrayDeque<T> q = map.computeIfAbsent(instanceId, id -> new ArrayDeque<>());
        synchronized (q) {
            for (T r : records) {
                if (q.size() == max) {
                    q.pollFirst();
                }
                q.addLast(r);
            }
        }
    }

    private static <T> List<T> copy(Map<String, ArrayDeque<T>> map, String instanceId) {
        ArrayDeque<T> q = map.get(instanceId);
        if (q == null) {
            return List.of();
        }
        synchronized (q) {
            return new ArrayList<>(q);
        }
    }
}
