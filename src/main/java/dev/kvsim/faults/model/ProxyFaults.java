package dev.kvsim.faults.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The faults active in one instance's proxy. Read on every chunk and command, so it is a
 * copy-on-write array: an empty one (the usual case) costs one volatile read.
 */
public final class ProxyFaults {

    private static final Fault[] NONE = new Fault[0];
    private volatile Fault[] active = NONE;
    /** The open connections of this proxy, each as what makes it take up the faults now active. */
    private final Set<Runnable> connections = ConcurrentHashMap.newKeySet();

    public Fault[] active() {
        return active;
    }

    public boolean isEmpty() {
        return active.length == 0;
    }

    public synchronized void add(Fault fault) {
        List<Fault> next = new ArrayList<>(List.of(active));
        next.add(fault);
        active = next.toArray(NONE);
    }

    public synchronized void remove(Fault fault) {
        List<Fault> next = new ArrayList<>(List.of(active));
        next.remove(fault);
        active = next.toArray(NONE);
    }

    /** Registers an open connection; {@code takeUp} runs (from any thread) when {@link #wakeConnections} is called. */
    public void addConnection(Runnable takeUp) {
        connections.add(takeUp);
    }

    public void removeConnection(Runnable takeUp) {
        connections.remove(takeUp);
    }

    /** Lets every open connection take up the faults now active, even an idle one (a timeout's close, a reset). */
    public void wakeConnections() {
        connections.forEach(Runnable::run);
    }
}
