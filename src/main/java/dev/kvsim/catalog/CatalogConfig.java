package dev.kvsim.catalog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;

/**
 * The tier catalog as read from {@code profiles/classes.yaml} (see {@code quarkus.config.locations}), and the
 * regions and zones instances can be placed in.
 */
@ConfigMapping(prefix = "kvsim.catalog")
public interface CatalogConfig {

    List<ClassEntry> classes();

    /** The regions instances can be created in; the first is where an instance goes when none is named. */
    @WithDefault("cn-hangzhou")
    List<String> regions();

    /**
     * The zones, each in the listed region its ID starts with ({@code cn-hangzhou-h} is in {@code cn-hangzhou});
     * a region's first zone is where its instances go when no zone is named.
     */
    @WithDefault("cn-hangzhou-h,cn-hangzhou-i,cn-hangzhou-j,cn-hangzhou-k")
    List<String> zones();

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
