package com.example.prices;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Prices read through Redis. A managed Redis drops connections on a switchover or failover and may answer
 * errors for a moment, so each Redis call is retried briefly; if Redis still fails, the price is computed
 * and served uncached: Redis makes the app faster, never unavailable.
 */
@ApplicationScoped
public class PriceCache {

    private static final Logger log = Logger.getLogger(PriceCache.class);
    static final String KEY_PREFIX = "price:";
    private static final int ATTEMPTS = 4;
    private static final long PAUSE_MS = 150;

    private final ValueCommands<String, String> values;
    private final PriceCalculator calculator;
    private final Duration ttl;

    public PriceCache(RedisDataSource redis, PriceCalculator calculator,
                      @ConfigProperty(name = "prices.ttl", defaultValue = "10m") Duration ttl) {
        this.values = redis.value(String.class);
        this.calculator = calculator;
        this.ttl = ttl;
    }

    /** A price, and whether Redis had it. */
    public record Lookup(String sku, BigDecimal price, boolean cached) {
    }

    public Lookup price(String sku) {
        String key = KEY_PREFIX + sku;
        String cached = withRetry("GET " + key, () -> values.get(key));
        if (cached != null) {
            return new Lookup(sku, new BigDecimal(cached), true);
        }
        BigDecimal price = calculator.compute(sku);
        withRetry("SETEX " + key, () -> {
            values.setex(key, ttl.toSeconds(), price.toPlainString());
            return null;
        });
        return new Lookup(sku, price, false);
    }

    /** The call's answer; null when Redis kept failing (the caller then does without the cache). */
    private <T> T withRetry(String what, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS) {
                    log.warnf("Redis failed %s %d times (%s); serving without the cache", what, ATTEMPTS, e.getMessage());
                    return null;
                }
                try {
                    Thread.sleep(PAUSE_MS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }
}
