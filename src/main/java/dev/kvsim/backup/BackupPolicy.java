package dev.kvsim.backup;

import dev.kvsim.core.ServiceError;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When an instance is backed up automatically and for how long backups are kept, as the service's backup policy
 * has it: days of the week, a one-hour window in UTC, a retention in days, and whether the backup log (data
 * flashback: restore to any second) is on.
 *
 * @param startHour the window's first hour, UTC: the window is {@code startHour:00Z} to one hour later
 * @param logStart  kvsim's time from which the backup log covers the instance; null when it is off or starting
 */
public record BackupPolicy(Set<DayOfWeek> days, int startHour, int retentionDays, boolean backupLog, Instant logStart) {

    public static final int MIN_RETENTION = 7;
    public static final int MAX_RETENTION = 730;
    private static final Pattern WINDOW = Pattern.compile("(\\d{2}):00Z-(\\d{2}):00Z");

    public BackupPolicy {
        days = Set.copyOf(days);
    }

    /** Every day, the given window, kept 7 days, no backup log. */
    public static BackupPolicy defaults(int startHour) {
        return new BackupPolicy(EnumSet.allOf(DayOfWeek.class), startHour, MIN_RETENTION, false, null);
    }

    /** "Monday,Tuesday,…" in the week's order. */
    public String daysText() {
        List<String> names = new ArrayList<>();
        for (DayOfWeek d : DayOfWeek.values()) {
            if (days.contains(d)) {
                names.add(name(d));
            }
        }
        return String.join(",", names);
    }

    public List<String> dayNames() {
        return List.of(daysText().split(","));
    }

    /** "02:00Z-03:00Z". */
    public String windowText() {
        return String.format("%02d:00Z-%02d:00Z", startHour, (startHour + 1) % 24);
    }

    /** The next opening of the window on a backup day, after {@code now}. */
    public Instant nextBackup(Instant now) {
        ZonedDateTime t = now.atZone(ZoneOffset.UTC).withHour(startHour).withMinute(0).withSecond(0).withNano(0);
        for (int i = 0; i <= 7; i++, t = t.plusDays(1)) {
            if (days.contains(t.getDayOfWeek()) && t.toInstant().isAfter(now)) {
                return t.toInstant();
            }
        }
        throw new IllegalStateException("a backup policy has at least one day");
    }

    /** Whether an automatic backup is due in the window that opens at this hour. */
    public boolean opensAt(ZonedDateTime hour) {
        return hour.getHour() == startHour && days.contains(hour.getDayOfWeek());
    }

    public BackupPolicy with(Set<DayOfWeek> newDays, Integer newStartHour, Integer newRetention, Boolean newLog) {
        boolean log = newLog == null ? backupLog : newLog;
        return new BackupPolicy(newDays == null ? days : newDays, newStartHour == null ? startHour : newStartHour,
                newRetention == null ? retentionDays : newRetention, log, log && backupLog ? logStart : null);
    }

    /**
     * Day names, comma-separated, as PreferredBackupPeriod gives them.
     *
     * @throws ServiceError 400 naming {@code field} for an unknown day or none
     */
    public static Set<DayOfWeek> parseDays(String field, List<String> names) {
        Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        for (String n : names) {
            String name = n.trim();
            DayOfWeek day = null;
            for (DayOfWeek d : DayOfWeek.values()) {
                if (name(d).equals(name)) {
                    day = d;
                }
            }
            if (day == null) {
                throw ServiceError.invalid(field + " takes the days Monday, Tuesday, Wednesday, Thursday, Friday, "
                        + "Saturday and Sunday; got '" + name + "'.");
            }
            out.add(day);
        }
        if (out.isEmpty()) {
            throw ServiceError.invalid(field + " needs at least one day, such as Monday.");
        }
        return out;
    }

    /**
     * The window's first hour.
     *
     * @throws ServiceError 400 naming {@code field} unless it is one hour on the hour, such as {@code 02:00Z-03:00Z}
     */
    public static int parseWindow(String field, String text) {
        Matcher m = WINDOW.matcher(text == null ? "" : text.trim());
        if (m.matches()) {
            int start = Integer.parseInt(m.group(1));
            int end = Integer.parseInt(m.group(2));
            if (start < 24 && end == (start + 1) % 24) {
                return start;
            }
        }
        throw ServiceError.invalid(field + " must be a one-hour window on the hour in UTC, from 00:00Z-01:00Z to "
                + "23:00Z-00:00Z; got '" + text + "'.");
    }

    /** @throws ServiceError 400 naming {@code field} outside 7 to 730 days */
    public static int checkRetention(String field, int days) {
        if (days < MIN_RETENTION || days > MAX_RETENTION) {
            throw ServiceError.invalid(field + " must be between " + MIN_RETENTION + " and " + MAX_RETENTION
                    + " days; got " + days + ".");
        }
        return days;
    }

    private static String name(DayOfWeek d) {
        return d.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    }
}
