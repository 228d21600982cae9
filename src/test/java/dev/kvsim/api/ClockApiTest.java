package dev.kvsim.api;

import dev.kvsim.core.KvsimClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static dev.kvsim.Instances.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin API reads and moves kvsim's clock, for experiments and test suites outside kvsim's JVM. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClockApiTest {

    @Inject
    KvsimClock clock;

    /** The next test class starts on real time (within this one, the clock only moves forward). */
    @AfterAll
    void putTheClockBack() {
        clock.resetForTests();
    }

    @Test
    void advancingMovesTheClockForward() {
        Instant before = Instant.parse(given().when().get("/api/v1/clock").then().statusCode(200).extract().path("now"));
        Instant after = Instant.parse(given().contentType(ContentType.JSON).body(Map.of("durationMs", 7_200_000))
                .when().post("/api/v1/clock/advance").then().statusCode(200).extract().path("now"));
        Duration moved = Duration.between(before, after);
        assertTrue(moved.compareTo(Duration.ofHours(2)) >= 0 && moved.compareTo(Duration.ofHours(2).plusMinutes(1)) < 0,
                "two hours on: " + moved);
        assertTrue(!clock.now().isBefore(after), "the clock every schedule reads");
    }

    @Test
    void theClockNeverMovesBackOrByMoreThanAYear() {
        given().contentType(ContentType.JSON).body(Map.of("durationMs", -1)).when().post("/api/v1/clock/advance")
                .then().statusCode(400).body("code", equalTo("InvalidParameter"))
                .body("message", containsString("durationMs must be between 0 and 31622400000"));
        given().contentType(ContentType.JSON).body(Map.of("durationMs", 31_622_400_001L)).when().post("/api/v1/clock/advance")
                .then().statusCode(400).body("message", containsString("got 31622400001"));
        given().contentType(ContentType.JSON).body(Map.of()).when().post("/api/v1/clock/advance")
                .then().statusCode(400).body("code", equalTo("MissingParameter"));
        given().contentType(ContentType.JSON).body(Map.of("durationMs", "soon")).when().post("/api/v1/clock/advance")
                .then().statusCode(400).body("message", containsString("durationMs"));
    }
}
