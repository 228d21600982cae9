package dev.kvsim.catalog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;

/** The tier catalog as read from {@code profiles/classes.yaml} (see {@code quarkus.config.locations}). */
@ConfigMapping(prefix = "kvsim.catalog")
public interface CatalogConfig {

    List<ClassEntry> classes();

    interface ClassEntry {
        String name();

        @WithDefault("")
        String description();

        /** {@code standard} or {@code cluster}. */
        String architecture();

        /** {@code single} or {@code double}. */
        String nodeType();

        long memoryMb();

        int maxConnections();

        int bandwidthMbps();

        int qps();

        @WithDefault("1")
        int shards();

        @WithDefault("0")
        int proxies();

        /** What a month of the class costs, in any currency; only for SLA credit amounts. */
        java.util.Optional<java.math.BigDecimal> monthlyFee();
    }
}
