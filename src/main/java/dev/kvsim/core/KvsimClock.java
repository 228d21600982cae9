package dev.kvsim.core;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The one clock every time-dependent decision of the control plane reads (events, maintenance
 * windows, fault schedules), so that tests can move time forward instead of waiting for it.
 */
@ApplicationScoped
public class KvsimClock {

    private final Clock system = Clock.systemUTC();
    private volatile Duration offset = Duration.ZERO;

    public Instant now() {
        return system.instant().plus(offset);
    }

    /** Moves kvsim's time forward (tests and experiments); never backward. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time only moves forward");
        }
        offset = offset.plus(by);
    }
}
