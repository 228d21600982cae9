package dev.kvsim.sla;

import dev.kvsim.events.Event;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Attributes an unavailable minute to what the instance's event log says was going on: an
 * injected fault (excluded when the fault says so), a customer's operation (excluded), maintenance
 * (a switchover scheduled for the maintenance window; excluded), a failover (counts), or nothing
 * known (counts). The first of these that overlaps the minute, in that order, wins.
 */
final class CauseFinder {

    private static final int FAULT = 0;
    private static final int CUSTOMER = 1;
    private static final int MAINTENANCE = 2;
    private static final int FAILOVER = 3;

    private CauseFinder() {
    }

    /** @param events the instance's events, oldest first, from before the minute up to its end */
    static Cause causeOf(List<Event> events, Instant start, Instant end) {
        Cause[] found = new Cause[4];
        Map<String, Event> openFaults = new HashMap<>();
        Instant lastKill = null;
        Event lastKillEvent = null;
        for (Event e : events) {
            Map<String, Object> d = e.details();
            switch (e.type()) {
                case Event.FAULT_STARTED -> openFaults.put(String.valueOf(d.get("faultId")), e);
                case Event.FAULT_ENDED -> {
                    Event started = openFaults.remove(String.valueOf(d.get("faultId")));
                    if (started != null) {
                        boolean instant = "kill_node".equals(d.get("type"));
                        if (instant) {
                            // a crash lasts until HA has repaired it: see the next failover or replacement
                            lastKill = started.at();
                            lastKillEvent = started;
                        } else if (overlaps(started.at(), e.at(), start, end)) {
                            found[FAULT] = first(found[FAULT], fault(started));
                        }
                    }
                }
                case Event.FAILOVER, Event.NODE_REPLACED -> {
                    Instant from = instant(d.get("detectedAt"), e.at());
                    if (lastKill != null && lastKill.isBefore(from)) {
                        if (overlaps(lastKill, e.at(), start, end)) {
                            found[FAULT] = first(found[FAULT], fault(lastKillEvent));
                        }
                        lastKill = null;
                    }
                    if (overlaps(from, e.at(), start, end)) {
                        found[FAILOVER] = first(found[FAILOVER], new Cause("failover",
                                e.type() + ": " + d.get("reason"), false));
                    }
                }
                case Event.RESTARTED, Event.FLUSHED, Event.BACKUP_RESTORED -> {
                    if (overlaps(instant(d.get("requestedAt"), e.at()), e.at(), start, end)) {
                        found[CUSTOMER] = first(found[CUSTOMER], new Cause("customer-operation", e.type(), true));
                    }
                }
                case Event.MAJOR_VERSION_UPGRADED -> {
                    if (overlaps(instant(d.get("requestedAt"), e.at()), e.at(), start, end)) {
                        if ("MaintainTime".equals(d.get("effectiveTime"))) {
                            found[MAINTENANCE] = first(found[MAINTENANCE],
                                    new Cause("maintenance", "major version upgrade in the maintenance window", true));
                        } else {
                            found[CUSTOMER] = first(found[CUSTOMER], new Cause("customer-operation", e.type(), true));
                        }
                    }
                }
                case Event.PARAMETERS_CHANGED -> {
                    if (overlaps(e.at(), e.at(), start, end)) {
                        found[CUSTOMER] = first(found[CUSTOMER], new Cause("customer-operation", e.type(), true));
                    }
                }
                case Event.SWITCHOVER -> {
                    Instant from = instant(d.get("startedAt"), e.at());
                    long readOnly = d.get("readOnlyMs") instanceof Number n ? n.longValue() : 0;
                    Instant to = e.at().plusMillis(readOnly);
                    if (overlaps(from, to, start, end)) {
                        boolean scheduled = d.get("switchMode") instanceof Number m && m.intValue() == 1;
                        if (scheduled) {
                            found[MAINTENANCE] = first(found[MAINTENANCE],
                                    new Cause("maintenance", "switchover in the maintenance window", true));
                        } else {
                            found[CUSTOMER] = first(found[CUSTOMER], new Cause("customer-operation", "Switchover", true));
                        }
                    }
                }
                default -> {
                    // other events do not make an instance unavailable
                }
            }
        }
        for (Event started : openFaults.values()) {
            if (overlaps(started.at(), end, start, end)) {
                found[FAULT] = first(found[FAULT], fault(started));
            }
        }
        if (lastKill != null && lastKill.isBefore(end)) {
            found[FAULT] = first(found[FAULT], fault(lastKillEvent));
        }
        for (Cause c : found) {
            if (c != null) {
                return c;
            }
        }
        return Cause.UNKNOWN;
    }

    private static Cause fault(Event started) {
        Map<String, Object> d = started.details();
        return new Cause("fault", d.get("faultId") + " " + d.get("type"), Boolean.TRUE.equals(d.get("slaExcluded")));
    }

    private static Cause first(Cause existing, Cause candidate) {
        return existing != null ? existing : candidate;
    }

    /** Whether [from, to] (a point when equal) meets [start, end). */
    private static boolean overlaps(Instant from, Instant to, Instant start, Instant end) {
        return from.isBefore(end) && !to.isBefore(start);
    }

    private static Instant instant(Object text, Instant fallback) {
        try {
            return text == null ? fallback : Instant.parse(text.toString());
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
