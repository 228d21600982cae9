package dev.kvsim.instance;

import dev.kvsim.core.ServiceError;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/**
 * The daily maintenance window of an instance ({@code ModifyInstanceMaintainTime}): UTC times
 * {@code HH:mmZ}, at least one hour; it may wrap past midnight (22:00Z-02:00Z).
 */
public record MaintenanceWindow(LocalTime start, LocalTime end) {

    /** @throws ServiceError 400 for a malformed time or a window under one hour */
    public static MaintenanceWindow parse(String start, String end) {
        MaintenanceWindow w = new MaintenanceWindow(time("maintainStartTime", start), time("maintainEndTime", end));
        if (w.length().compareTo(Duration.ofHours(1)) < 0) {
            throw ServiceError.invalid("The maintenance window must be at least one hour; got " + start + "-" + end + ".");
        }
        return w;
    }

    private static LocalTime time(String field, String text) {
        if (text == null || !text.matches("\\d{2}:\\d{2}Z")) {
            throw ServiceError.invalid(field + " must be HH:mmZ (UTC), e.g. 02:00Z; got " + text + ".");
        }
        try {
            return LocalTime.parse(text.substring(0, 5));
        } catch (DateTimeParseException e) {
            throw ServiceError.invalid(field + " is not a time of day: " + text + ".");
        }
    }

    public Duration length() {
        Duration d = Duration.between(start, end);
        return d.isNegative() || d.isZero() ? d.plusDays(1) : d;
    }

    public boolean contains(Instant t) {
        LocalTime now = t.atZone(ZoneOffset.UTC).toLocalTime();
        return start.isBefore(end) ? !now.isBefore(start) && now.isBefore(end)
                : !now.isBefore(start) || now.isBefore(end);
    }

    /** {@code t} itself when inside the window, else the window's next start. */
    public Instant nextOpening(Instant t) {
        if (contains(t)) {
            return t;
        }
        ZonedDateTime today = t.atZone(ZoneOffset.UTC).with(start).withSecond(0).withNano(0);
        return (today.toInstant().isAfter(t) ? today : today.plusDays(1)).toInstant();
    }

    public String startText() {
        return start + "Z";
    }

    public String endText() {
        return end + "Z";
    }
}
