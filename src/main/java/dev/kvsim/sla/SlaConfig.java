package dev.kvsim.sla;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code kvsim.sla.*}: how often the probe connects, and how long an accounting minute is. */
@ConfigMapping(prefix = "kvsim.sla")
public interface SlaConfig {

    /** The probe's period; 0 turns the probe off (real connections are still counted). */
    @WithDefault("5s")
    Duration probeInterval();

    /** 60 s as the agreement; shorter for experiments (a 1 s "minute" makes a month of a 12 h run). */
    @WithDefault("60s")
    Duration minuteLength();
}
