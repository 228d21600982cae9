package dev.kvsim.faults.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The faults active in one instance's proxy. Read on every chunk and command, so it is a
 * copy-on-write array: an empty one (the usual case) costs one volatile read.
 */
public final class ProxyFaults {

    private static final Fault[] NONE = new Fault[0];
    private volatile Fault[] active = NONE;

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
}
