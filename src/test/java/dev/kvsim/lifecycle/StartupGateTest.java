package dev.kvsim.lifecycle;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * While kvsim restores its instances, the admin API answers 503, so no call races the restore, and
 * readiness is down, so a script waiting for it does not meet that 503.
 */
@QuarkusTest
class StartupGateTest {

    @AfterEach
    void open() {
        StartupGate.open();
    }

    @Test
    void theApiAnswers503WhileKvsimStartsAndServesOnceStarted() {
        StartupGate.closeUntilStarted();
        given().contentType("application/json").body("{\"instanceClass\":\"redis.master.small.default\"}")
                .post("/api/v1/instances").then().statusCode(503)
                .body("code", equalTo("ServiceUnavailable"))
                .body("message", containsString("kvsim is starting"));
        given().get("/api/v1/instances").then().statusCode(503);
        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        given().get("/q/health/live").then().statusCode(200);

        StartupGate.open();
        given().get("/api/v1/classes").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
