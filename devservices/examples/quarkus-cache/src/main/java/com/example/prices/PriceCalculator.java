package com.example.prices;

import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.concurrent.atomic.AtomicLong;

/** The expensive computation the cache saves: slow on purpose, and counted so tests can see when it runs. */
@ApplicationScoped
public class PriceCalculator {

    private final AtomicLong computations = new AtomicLong();

    public BigDecimal compute(String sku) {
        computations.incrementAndGet();
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return BigDecimal.valueOf(Math.floorMod(sku.hashCode(), 100_000), 2).add(BigDecimal.ONE)
                .setScale(2, RoundingMode.UNNECESSARY);
    }

    public long computations() {
        return computations.get();
    }
}
