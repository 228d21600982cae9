package dev.kvsim.logs;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A line of a node's log file as the engine writes it, {@code 4242:M 25 Nov 2026 10:00:00.123 * Ready to accept
 * connections}: the pid, the role (M master, S replica, C a child process, X sentinel), the local time of this machine,
 * the level ({@code .} debug, {@code -} verbose, {@code *} notice, {@code #} warning) and the message.
 */
final class NodeLogLine {

    private static final Pattern LINE = Pattern.compile(
            "^\\d+:[A-Z] (\\d{1,2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) ([.\\-*#]) (.*)$");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm:ss.SSS", Locale.ROOT);

    private NodeLogLine() {
    }

    /** A parsed line: when (the machine's real time) and at which level; null for a line not in this format. */
    record Parsed(Instant at, String level, String message) {
    }

    static Parsed parse(String line, ZoneId zone) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return null;
        }
        try {
            Instant at = LocalDateTime.parse(m.group(1), TIME).atZone(zone).toInstant();
            String level = switch (m.group(2)) {
                case "." -> "debug";
                case "-" -> "verbose";
                case "#" -> "warning";
                default -> "notice";
            };
            return new Parsed(at, level, m.group(3));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
