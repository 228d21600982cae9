package dev.kvsim.instance;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** While kvsim restores its instances, the admin API answers 503, so no call races the restore. */
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

        StartupGate.open();
        given().get("/api/v1/classes").then().statusCode(200);
    }
}
