package dev.kvsim.sla;

import dev.kvsim.core.KvsimClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A minute is unavailable only when it had attempts and every one failed. */
class AttemptLedgerTest {

    private final KvsimClock clock = new KvsimClock();
    private final AttemptLedger ledger = new AttemptLedger(clock, new SlaConfig() {
        @Override
        public Duration probeInterval() {
            return Duration.ZERO;
        }

        @Override
        public Duration minuteLength() {
            return Duration.ofMinutes(1);
        }
    });

    @Test
    void oneSuccessAmongFailuresKeepsTheMinuteAvailable() {
        ledger.attempt("r-a", false);
        ledger.attempt("r-a", true);
        ledger.attempt("r-a", false);
        ledger.attempt("r-b", false);
        ledger.attempt("r-b", false);
        long minute = ledger.currentMinute();
        clock.advance(Duration.ofMinutes(1));
        List<AttemptLedger.Tally> closed = ledger.closeBefore(ledger.currentMinute());
        assertEquals(2, closed.size());
        AttemptLedger.Tally a = closed.stream().filter(t -> t.instanceId().equals("r-a")).findFirst().orElseThrow();
        AttemptLedger.Tally b = closed.stream().filter(t -> t.instanceId().equals("r-b")).findFirst().orElseThrow();
        assertEquals(minute, a.minute());
        assertFalse(a.unavailable(), "one success in the minute");
        assertTrue(b.unavailable(), "every attempt failed");
        assertEquals(List.of(), ledger.closeBefore(ledger.currentMinute()), "each minute is judged once");
    }

    @Test
    void theCurrentMinuteIsNotJudgedYet() {
        ledger.attempt("r-c", false);
        assertEquals(List.of(), ledger.closeBefore(ledger.currentMinute()));
    }
}
