package dev.kvsim.faults.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The faults acting in one instance's proxy at one moment: an immutable value, replaced whole on
 * every change. Read on every chunk and command, so the usual case (none) costs one array length.
 */
public final class FaultSet {

    public static final FaultSet NONE = new FaultSet(new Fault[0]);

    private final Fault[] active;

    private FaultSet(Fault[] active) {
        this.active = active;
    }

    /** The faults, oldest first; a new array for every new set (callers compare sets by identity), never modified. */
    public Fault[] active() {
        return active;
    }

    public boolean isEmpty() {
        return active.length == 0;
    }

    public FaultSet with(Fault fault) {
        List<Fault> next = new ArrayList<>(List.of(active));
        next.add(fault);
        return new FaultSet(next.toArray(new Fault[0]));
    }

    public FaultSet without(Fault fault) {
        List<Fault> next = new ArrayList<>(List.of(active));
        return next.remove(fault) ? new FaultSet(next.toArray(new Fault[0])) : this;
    }
}
