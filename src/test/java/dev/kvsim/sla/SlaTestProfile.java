package dev.kvsim.sla;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** One-second accounting minutes and a probe every 100 ms, so that a few seconds make a report. */
public class SlaTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("kvsim.sla.minute-length", "1s", "kvsim.sla.probe-interval", "100ms",
                // the catalog's first class (dual replica, 1 GB) gets a fee, for the credit amount
                "kvsim.catalog.classes[0].monthly-fee", "200.00");
    }
}
