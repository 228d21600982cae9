package dev.kvsim.faults.model;

import java.util.Random;

/**
 * A fault that acts inside the proxy (on bytes or on commands): starting it registers it with
 * the instance's {@link ProxyFaults}, stopping it removes it. Its toxicity draws come from a
 * random source seeded by the spec, so that an experiment repeats.
 */
public abstract class ProxyFault implements Fault {

    private final FaultSpec spec;
    private final Random random;

    protected ProxyFault(FaultSpec spec) {
        this.spec = spec;
        this.random = new Random(spec.seed());
    }

    @Override
    public FaultSpec spec() {
        return spec;
    }

    @Override
    public void start(FaultScope scope) {
        scope.proxy().add(this);
    }

    @Override
    public void stop(FaultScope scope) {
        scope.proxy().remove(this);
    }

    /** One toxicity draw: whether the fault hits this time. */
    protected synchronized boolean draw() {
        return spec.toxicity() >= 1.0 || random.nextDouble() < spec.toxicity();
    }

    /** A seed drawn from the fault's own random source (for per-connection randomness). */
    protected synchronized long nextSeed() {
        return random.nextLong();
    }
}
