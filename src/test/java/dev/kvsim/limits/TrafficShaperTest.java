package dev.kvsim.limits;

import dev.kvsim.limits.TrafficShaper.BandwidthMode;
import org.junit.jupiter.api.Test;

import static dev.kvsim.limits.TrafficShaper.MB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The waits the shaper asks for. A bucket starts full (one second's worth), and whatever passes
 * beyond it is a debt paid back at the cap's rate: the wait is debt / rate. The bucket refills
 * on real time, so a wait comes out shorter by the time that passed since the bucket was drained:
 * microseconds here, up to 25 ms allowed for a descheduled test thread. A shaper that does not
 * throttle (0), or throttles at half or double the rate (twice or half the wait), fails.
 */
class TrafficShaperTest {

    private static final long MS = 1_000_000L;
    private static final long SCHEDULING_SLACK = 25 * MS;

    /** {@code wait} is {@code expectedMs} less at most the slack (never more: refill only shortens it). */
    private static void assertWait(long expectedMs, long wait, String what) {
        long expected = expectedMs * MS;
        if (wait > expected + MS / 1000 || wait < expected - SCHEDULING_SLACK) {
            fail(what + ": expected a wait of " + expectedMs + " ms (up to 25 ms less), got " + wait / 1e6 + " ms");
        }
    }

    @Test
    void combinedModeOneBucketForBothDirections() {
        TrafficShaper s = TrafficShaper.of(1, BandwidthMode.COMBINED, 0);
        assertEquals(0, s.upstream(MB), "one second's worth passes at once");
        // 1 MB/s: 0.1 MB more is 100 ms, whichever direction it goes
        assertWait(100, s.downstream(MB / 10), "downstream after upstream drained the bucket");
        assertWait(200, s.upstream(MB / 10), "the debt adds up");
    }

    @Test
    void perDirectionModeOneBucketEach() {
        TrafficShaper s = TrafficShaper.of(1, BandwidthMode.PER_DIRECTION, 0);
        assertEquals(0, s.upstream(MB));
        assertEquals(0, s.downstream(MB), "downstream has its own second's worth");
        assertWait(100, s.upstream(MB / 10), "upstream");
        assertWait(200, s.downstream(MB / 5), "downstream");
    }

    @Test
    void aReadLargerThanTheBucketWaitsForAllOfItsDebt() {
        TrafficShaper s = TrafficShaper.of(1, BandwidthMode.PER_DIRECTION, 0);
        // 3 MB at 1 MB/s: the first passes on the full bucket, two more take two seconds
        assertWait(2000, s.upstream(3 * MB), "3 MB in one read");
    }

    @Test
    void theQpsCapCountsCommands() {
        TrafficShaper s = TrafficShaper.of(10_000, BandwidthMode.COMBINED, 100);
        assertEquals(0, s.commands(100));
        assertWait(100, s.commands(10), "10 commands over 100/s");
        assertEquals(0, s.upstream(10_000 * MB), "bandwidth is not capped at 10,000 MB/s");
    }

    @Test
    void noQpsCapWhenTheCapIsOff() {
        TrafficShaper s = TrafficShaper.of(1, BandwidthMode.COMBINED, 0);
        assertEquals(0, s.commands(1_000_000));
        assertEquals(0, s.commands(1_000_000));
    }

    @Test
    void theLargestClassBandwidthIsStillCappedAndFarBeyondItIsNot() {
        // 768 MB/s: the catalogue's 16-shard cluster classes
        TrafficShaper capped = TrafficShaper.of(768, BandwidthMode.COMBINED, 0);
        assertEquals(0, capped.upstream(768 * MB));
        assertWait(100, capped.downstream(768 * MB / 10), "768 MB/s");
        TrafficShaper free = TrafficShaper.of(10_000, BandwidthMode.PER_DIRECTION, 0);
        assertEquals(0, free.upstream(100_000 * MB));
        assertEquals(0, free.downstream(100_000 * MB));
    }

    @Test
    void sameCapsOnlyWithTheSameBandwidthModeAndQps() {
        TrafficShaper s = TrafficShaper.of(24, BandwidthMode.COMBINED, 0);
        assertTrue(s.sameCapsAs(TrafficShaper.of(24, BandwidthMode.COMBINED, 0)));
        assertFalse(s.sameCapsAs(TrafficShaper.of(48, BandwidthMode.COMBINED, 0)));
        assertFalse(s.sameCapsAs(TrafficShaper.of(24, BandwidthMode.PER_DIRECTION, 0)));
        assertFalse(s.sameCapsAs(TrafficShaper.of(24, BandwidthMode.COMBINED, 10_000)));
        assertFalse(s.sameCapsAs(null));
    }
}
