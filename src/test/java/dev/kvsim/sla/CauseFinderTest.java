package dev.kvsim.sla;

import dev.kvsim.events.Event;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each unavailable minute gets the cause the event log shows for it. */
class CauseFinderTest {

    private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

    private static Event event(long atSeconds, String type, Map<String, Object> details) {
        return new Event(0, "r-x", T.plusSeconds(atSeconds), type, details);
    }

    private static Cause minute(List<Event> events, long startSeconds) {
        return CauseFinder.causeOf(events, T.plusSeconds(startSeconds), T.plusSeconds(startSeconds + 60));
    }

    @Test
    void aFaultCountsUnlessMarkedExcluded() {
        List<Event> events = List.of(
                event(30, Event.FAULT_STARTED, Map.of("faultId", "f-1", "type", "refuse_connections", "slaExcluded", false)),
                event(200, Event.FAULT_ENDED, Map.of("faultId", "f-1", "type", "refuse_connections")),
                event(300, Event.FAULT_STARTED, Map.of("faultId", "f-2", "type", "timeout", "slaExcluded", true)));
        Cause c = minute(events, 60);
        assertEquals("fault", c.kind());
        assertEquals("f-1 refuse_connections", c.detail());
        assertFalse(c.excluded());
        assertTrue(minute(events, 360).excluded(), "f-2 is still active and excluded");
        assertEquals("unknown", minute(events, 240).kind());
    }

    @Test
    void aKilledMasterIsTheFaultsUntilHaRepairedIt() {
        List<Event> events = List.of(
                event(10, Event.FAULT_STARTED, Map.of("faultId", "f-k", "type", "kill_node")),
                event(10, Event.FAULT_ENDED, Map.of("faultId", "f-k", "type", "kill_node")),
                event(130, Event.FAILOVER, Map.of("reason", "node process died",
                        "detectedAt", T.plusSeconds(120).toString())));
        assertEquals("f-k kill_node", minute(events, 60).detail());
        assertEquals("fault", minute(events, 120).kind());
        assertEquals("unknown", minute(events, 180).kind());
    }

    @Test
    void aFailoverWithoutAFaultCountsAgainstTheProvider() {
        List<Event> events = List.of(event(100, Event.FAILOVER, Map.of("reason", "node hung (paused)",
                "detectedAt", T.plusSeconds(70).toString())));
        Cause c = minute(events, 60);
        assertEquals("failover", c.kind());
        assertFalse(c.excluded());
    }

    @Test
    void customerOperationsAndMaintenanceAreExcluded() {
        List<Event> restart = List.of(event(90, Event.RESTARTED, Map.of("requestedAt", T.plusSeconds(50).toString(),
                "doneAt", T.plusSeconds(90).toString())));
        assertEquals("customer-operation", minute(restart, 60).kind());
        assertTrue(minute(restart, 60).excluded());
        List<Event> scheduled = List.of(event(65, Event.SWITCHOVER, Map.of("switchMode", 1, "readOnlyMs", 5000,
                "startedAt", T.plusSeconds(64).toString())));
        Cause m = minute(scheduled, 60);
        assertEquals("maintenance", m.kind());
        assertTrue(m.excluded());
        List<Event> now = List.of(event(65, Event.SWITCHOVER, Map.of("switchMode", 0, "readOnlyMs", 0,
                "startedAt", T.plusSeconds(64).toString())));
        assertEquals("customer-operation", minute(now, 60).kind());
    }
}
