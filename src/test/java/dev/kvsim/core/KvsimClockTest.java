package dev.kvsim.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Schedules follow kvsim's clock: moving it runs what became due, in order; nothing runs early. */
class KvsimClockTest {

    private final KvsimClock clock = new KvsimClock();

    @AfterEach
    void stop() {
        clock.stop();
    }

    @Test
    void aTimerRunsWhenTheClockIsMovedPastItsInstantAndNotBefore() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        clock.after(Duration.ofHours(1), ran::countDown);
        assertFalse(ran.await(200, TimeUnit.MILLISECONDS), "an hour of kvsim's time has not passed");
        clock.advance(Duration.ofMinutes(59));
        assertFalse(ran.await(200, TimeUnit.MILLISECONDS), "59 minutes are not an hour");
        clock.advance(Duration.ofMinutes(1));
        assertTrue(ran.await(5, TimeUnit.SECONDS));
    }

    @Test
    void aTimerAlsoRunsWhenRealTimeReachesIt() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        long start = System.nanoTime();
        clock.after(Duration.ofMillis(150), ran::countDown);
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150), "not early");
    }

    @Test
    void oneJumpRunsEveryTimerItPassesInTheOrderOfTheirInstants() throws InterruptedException {
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(3);
        Instant now = clock.now();
        clock.schedule(now.plus(Duration.ofHours(3)), () -> { order.add("3h"); all.countDown(); });
        clock.schedule(now.plus(Duration.ofHours(1)), () -> { order.add("1h"); all.countDown(); });
        clock.schedule(now.plus(Duration.ofHours(2)), () -> { order.add("2h"); all.countDown(); });
        clock.advance(Duration.ofHours(4));
        assertTrue(all.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("1h", "2h", "3h"), order, "run in the order of their instants");
    }

    @Test
    void aCancelledTimerNeverRuns() throws InterruptedException {
        CountDownLatch cancelled = new CountDownLatch(1);
        CountDownLatch later = new CountDownLatch(1);
        clock.after(Duration.ofMinutes(1), cancelled::countDown).cancel();
        clock.after(Duration.ofMinutes(2), later::countDown);
        clock.advance(Duration.ofMinutes(3));
        assertTrue(later.await(5, TimeUnit.SECONDS));
        assertEquals(1, cancelled.getCount());
    }

    @Test
    void aTimerAtTheEndOfTimeDoesNotStopTheOthers() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        clock.schedule(Instant.parse("+999999999-12-31T23:59:59Z"), () -> { });
        clock.after(Duration.ofDays(2), ran::countDown);
        clock.advance(Duration.ofDays(2));
        assertTrue(ran.await(5, TimeUnit.SECONDS));
    }

    @Test
    void resetPutsTheClockBackAndWaitingTimersBackByAsMuch() throws InterruptedException {
        Instant real = Instant.now();
        clock.advance(Duration.ofHours(5));
        assertTrue(clock.now().isAfter(real.plus(Duration.ofHours(4))));
        CountDownLatch ran = new CountDownLatch(1);
        clock.after(Duration.ofHours(1), ran::countDown);  // five hours from real time, one from kvsim's
        clock.resetForTests();
        Instant now = clock.now();
        assertTrue(!now.isBefore(real) && now.isBefore(real.plus(Duration.ofMinutes(1))), "back to real time: " + now);
        assertFalse(ran.await(200, TimeUnit.MILLISECONDS));
        clock.advance(Duration.ofHours(1));
        assertTrue(ran.await(5, TimeUnit.SECONDS), "still an hour ahead of the clock, as it was");
    }

    @Test
    void timeOnlyMovesForward() {
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
    }
}
