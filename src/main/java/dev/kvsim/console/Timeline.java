package dev.kvsim.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kvsim.events.Event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An instance's events laid out on a time axis: each event at its place between the first event and now (a share of
 * the axis, 0 to 100), and each fault as a span from its start to its end (or to now while it acts).
 */
record Timeline(Instant start, Instant end, List<Row> rows, List<Span> spans) {

    /** One event: its time, type, kind (for its colour: fault, ha, change), details as JSON and place on the axis. */
    record Row(String at, String type, String kind, String details, double position) {
    }

    /** A fault from its start to its end; {@code active} while it has not ended. */
    record Span(String faultId, String type, String startedAt, String endedAt, boolean active, double from, double to) {
    }

    static Timeline of(List<Event> events, Instant now, ObjectMapper json) {
        Instant start = events.isEmpty() ? now : events.get(0).at();
        Instant end = now.isAfter(start) ? now : start.plusSeconds(1);
        List<Row> rows = new ArrayList<>();
        Map<String, Event> started = new LinkedHashMap<>();
        List<Span> spans = new ArrayList<>();
        for (Event e : events) {
            rows.add(new Row(e.at().toString(), e.type(), kind(e.type()), json(e.details(), json), place(e.at(), start, end)));
            String faultId = String.valueOf(e.details().get("faultId"));
            if (Event.FAULT_STARTED.equals(e.type())) {
                started.put(faultId, e);
            } else if (Event.FAULT_ENDED.equals(e.type()) && started.containsKey(faultId)) {
                Event s = started.remove(faultId);
                spans.add(span(s, e, start, end));
            }
        }
        started.values().forEach(s -> spans.add(span(s, null, start, end)));
        return new Timeline(start, end, rows, spans);
    }

    private static Span span(Event started, Event ended, Instant start, Instant end) {
        return new Span(String.valueOf(started.details().get("faultId")), String.valueOf(started.details().get("type")),
                started.at().toString(), ended == null ? null : ended.at().toString(), ended == null,
                place(started.at(), start, end), place(ended == null ? end : ended.at(), start, end));
    }

    private static double place(Instant at, Instant start, Instant end) {
        double span = Math.max(1, end.toEpochMilli() - start.toEpochMilli());
        return Math.max(0, Math.min(100, 100.0 * (at.toEpochMilli() - start.toEpochMilli()) / span));
    }

    private static String kind(String type) {
        if (type.startsWith("Fault")) {
            return "fault";
        }
        if (type.equals(Event.FAILOVER) || type.equals(Event.NODE_REPLACED) || type.startsWith("Switchover")) {
            return "ha";
        }
        return "change";
    }

    private static String json(Map<String, Object> details, ObjectMapper json) {
        try {
            return json.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            return String.valueOf(details);
        }
    }
}
