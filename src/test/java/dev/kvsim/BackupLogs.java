package dev.kvsim;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static dev.kvsim.Instances.given;

/** For point-in-time tests: the backup log's start, and seconds of kvsim's clock to write in. */
public final class BackupLogs {

    private BackupLogs() {
    }

    /** Waits (up to 20 s) until the backup log covers the instance (its nodes wrote their first bases). */
    public static void awaitLogStart(String instanceId) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (given().get("/api/v1/instances/" + instanceId + "/backup-policy").then().statusCode(200).extract()
                .path("backupLogStartTime") == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the backup log of " + instanceId + " did not start within 20 s");
            }
            Instances.sleep(50);
        }
    }

    /** The next whole second of kvsim's clock, once 100 ms of it have passed: writes then carry its timestamp. */
    public static Instant startOfNextSecond() {
        Instant next = now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        sleepUntil(next.plusMillis(100));
        return next;
    }

    public static void sleepUntil(Instant t) {
        long ms = t.toEpochMilli() - now().toEpochMilli();
        if (ms > 0) {
            Instances.sleep(ms);
        }
    }

    /** kvsim's time. */
    public static Instant now() {
        return Instant.parse(given().get("/api/v1/clock").then().extract().path("now"));
    }
}
