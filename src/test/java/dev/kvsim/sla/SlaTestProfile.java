package dev.kvsim.sla;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** A probe every 100 ms of real time; the tests move kvsim's clock minute by minute. */
public class SlaTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("kvsim.sla.probe-interval", "100ms",
                // the catalog's first class (dual replica, 1 GB) gets a fee, for the credit amount
                "kvsim.catalog.classes[0].monthly-fee", "200.00");
    }
}
