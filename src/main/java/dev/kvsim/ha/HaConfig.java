package dev.kvsim.ha;

import io.smallrye.config.ConfigMapping;

import java.time.Duration;
import java.util.Map;

/** The HA profiles of {@code profiles/ha.yaml} and the one chosen at start ({@code kvsim.ha.profile}). */
@ConfigMapping(prefix = "kvsim.ha")
public interface HaConfig {

    String profile();

    Map<String, Profile> profiles();

    /** The active profile; kvsim refuses to start with an unknown name. */
    default Profile active() {
        Profile p = profiles().get(profile());
        if (p == null) {
            throw new IllegalStateException("kvsim.ha.profile is '" + profile() + "'; the profiles are "
                    + String.join(", ", new java.util.TreeSet<>(profiles().keySet())) + ".");
        }
        return p;
    }

    interface Profile {
        Duration checkInterval();

        Duration checkTimeout();

        int failures();

        Duration hungAfter();

        Duration switchDelay();

        Duration readOnlyWindow();

        Duration reliabilityTimeout();
    }
}
