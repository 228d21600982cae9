package com.example.prices;

import dev.kvsim.client.ActiveFault;
import dev.kvsim.client.Endpoint;
import dev.kvsim.client.FaultBuilders;
import dev.kvsim.client.Instance;
import dev.kvsim.client.KvsimAdmin;
import dev.kvsim.client.SwitchType;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The app against the kvsim the dev service started: no Docker, no quarkus.redis.hosts in the app's config. */
@QuarkusTest
class PriceCacheTest {

    @Inject
    KvsimAdmin admin;

    @Inject
    Endpoint instance;

    @Inject
    RedisDataSource redis;

    @Inject
    PriceCalculator calculator;

    @ConfigProperty(name = "quarkus.redis.hosts")
    String redisHosts;

    @Test
    void theAppTalksToAKvsimInstance() {
        Instance described = admin.instance(instance.instanceId());
        assertEquals(Instance.NORMAL, described.status());
        assertEquals("redis.master.small.default", described.instanceClass());
        assertEquals(described.port(), instance.port());
        assertEquals(instance.redisUri(), redisHosts, "the dev service set quarkus.redis.hosts, with the password");
        assertEquals("Cache-Pw0rd!", instance.password());
        redis.value(String.class).set("probe", "kvsim");
        assertEquals("kvsim", redis.value(String.class).get("probe"));
    }

    @Test
    void theSecondLookupIsServedFromRedis() {
        long before = calculator.computations();
        BigDecimal first = priceOf("A-100", false);
        assertEquals(first, priceOf("A-100", true));
        assertEquals(before + 1, calculator.computations(), "computed once");
        assertEquals(first.toPlainString(), redis.value(String.class).get(PriceCache.KEY_PREFIX + "A-100"));
        assertTrue(redis.key().ttl(PriceCache.KEY_PREFIX + "A-100") > 0, "cached with a TTL");
    }

    @Test
    void theAppKeepsAnsweringThroughASwitchover() {
        BigDecimal price = priceOf("B-200", false);
        int masterPort = admin.instance(instance.instanceId()).master(0).port();

        admin.switchover(instance.instanceId(), SwitchType.AVAILABLE_PRIORITY);
        // the app is asked while the switch runs and right after it: every answer is the right price
        for (int i = 0; i < 20; i++) {
            assertEquals(price, given().get("/prices/B-200").then().statusCode(200).extract().jsonPath()
                    .getObject("price", BigDecimal.class));
        }
        Instance after = admin.awaitStatus(instance.instanceId(), Instance.NORMAL, Duration.ofSeconds(30));
        assertNotEquals(masterPort, after.master(0).port(), "the replica became the master");
        assertTrue(admin.events(instance.instanceId()).stream().anyMatch(e -> e.type().equals("Switchover")));

        priceOf("C-300", false);
        assertEquals(price, priceOf("B-200", true), "the replicated entry is still cached on the new master");
        priceOf("C-300", true);
    }

    @Test
    void aRedisOutageMakesTheAppSlowerNotBroken() {
        long before = calculator.computations();
        try (ActiveFault loading = admin.faults(instance.instanceId()).errorReply(FaultBuilders.EngineError.LOADING)
                .commands("GET", "SETEX").start()) {
            priceOf("D-400", false);
            priceOf("D-400", false);
            assertEquals(before + 2, calculator.computations(), "without Redis every lookup computes");
        }
        priceOf("D-400", false);
        priceOf("D-400", true);
        assertEquals(before + 3, calculator.computations(), "cached again once the outage ended");
    }

    private static BigDecimal priceOf(String sku, boolean cached) {
        var answer = given().get("/prices/" + sku).then().statusCode(200).extract().jsonPath();
        assertEquals(cached, answer.getBoolean("cached"), "cached flag of " + sku);
        return answer.getObject("price", BigDecimal.class);
    }
}
