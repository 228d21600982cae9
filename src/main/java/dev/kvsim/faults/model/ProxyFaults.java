package dev.kvsim.faults.model;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One instance's proxy as faults see it: the {@link FaultSet} acting now, which its connections
 * read, and the change a fault makes when it starts or stops. The set itself lives where the
 * proxy keeps the rest of what it enforces; this only reads and changes it there. It also knows
 * the proxy's open connections, so that a fault that acts without data reaches idle ones.
 */
public final class ProxyFaults {

    private final Supplier<FaultSet> current;
    private final Consumer<UnaryOperator<FaultSet>> change;
    /** The open connections, each as what makes it take up the faults now active. */
    private final Set<Runnable> connections = ConcurrentHashMap.newKeySet();

    /** @param change applies a change to the set atomically where it lives */
    public ProxyFaults(Supplier<FaultSet> current, Consumer<UnaryOperator<FaultSet>> change) {
        this.current = current;
        this.change = change;
    }

    /** Faults kept here alone, for a connection that belongs to no instance (tests, benchmarks). */
    public static ProxyFaults standalone() {
        AtomicReference<FaultSet> set = new AtomicReference<>(FaultSet.NONE);
        return new ProxyFaults(set::get, set::updateAndGet);
    }

    /** The faults acting now. */
    public FaultSet current() {
        return current.get();
    }

    public Fault[] active() {
        return current.get().active();
    }

    public boolean isEmpty() {
        return current.get().isEmpty();
    }

    public void add(Fault fault) {
        change.accept(s -> s.with(fault));
    }

    public void remove(Fault fault) {
        change.accept(s -> s.without(fault));
    }

    /** Registers an open connection; {@code takeUp} runs (from any thread) at {@link #wakeConnections}. */
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
