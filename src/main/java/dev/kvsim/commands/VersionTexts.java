package dev.kvsim.commands;

import dev.kvsim.resp.RespCommand;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What each emulated release answers to what it does not have, in its own words: the unknown-command text
 * (the releases before 7.0 quote with backquotes), and the subcommand and argument texts of
 * {@code engine-versions/replies.tsv}. Built once; only read when a command is refused.
 */
final class VersionTexts {

    static final String SYNTAX_ERROR = "ERR syntax error";
    /** The releases' limit on the bytes they quote from a command line. */
    private static final int QUOTE_MAX = 128;
    private static final VersionTexts LOADED = load();

    /** "5.0|subcommand|CLIENT|" (or "…|*|") and "4.0|argument|CLIENT KILL|replica" to the reply. */
    private final Map<String, String> replies;

    private VersionTexts(Map<String, String> replies) {
        this.replies = replies;
    }

    static VersionTexts get() {
        return LOADED;
    }

    /** The release's text for a command it does not have. */
    String unknownCommand(MajorVersion v, RespCommand cmd) {
        if (v == MajorVersion.V7_0) {
            return EngineChecks.unknownCommand(cmd.args());
        }
        // Before 7.0: "unknown command `%s`, with args beginning with: " and "`%.*s`, " per argument, 128 bytes in all.
        StringBuilder quoted = new StringBuilder();
        int length = 0;
        for (int i = 1; i < cmd.argc() && length < QUOTE_MAX; i++) {
            byte[] arg = cmd.arg(i);
            int take = Math.min(arg.length, QUOTE_MAX - length);
            quoted.append('`').append(new String(arg, 0, take, StandardCharsets.UTF_8)).append("`, ");
            length += take + 4;
        }
        return "ERR unknown command `" + cmd.argString(0) + "`, with args beginning with: " + quoted;
    }

    /** The release's text for a subcommand of {@code container} it does not have (or given a wrong number of arguments). */
    String unknownSubcommand(MajorVersion v, String container, RespCommand cmd) {
        String upper = container.toUpperCase(Locale.ROOT);
        String sub = cmd.argString(1);
        if (v == MajorVersion.V7_0) {
            byte[] raw = cmd.arg(1);
            return "ERR unknown subcommand '" + new String(raw, 0, Math.min(raw.length, QUOTE_MAX), StandardCharsets.UTF_8)
                    + "'. Try " + upper + " HELP.";
        }
        String text = replies.get(v.label() + "|subcommand|" + upper + "|");
        if (text == null) {
            text = replies.getOrDefault(v.label() + "|subcommand|*|", SYNTAX_ERROR);
        }
        return text.replace("{sub}", sub).replace("{CMD}", upper);
    }

    /** The release's own text for an argument it does not have, or null for the usual {@link #SYNTAX_ERROR}. */
    String argument(MajorVersion v, String commandKey, String token, String asSent) {
        String text = replies.get(v.label() + "|argument|" + commandKey.toUpperCase(Locale.ROOT).replace('|', ' ') + "|" + token);
        return text == null ? null : text.replace("{arg}", asSent);
    }

    /** For a command whose options precede its data: the text for a wrong number of data, or null. */
    String dataCount(MajorVersion v, String commandKey) {
        return replies.get(v.label() + "|data-count|" + commandKey.toUpperCase(Locale.ROOT) + "|");
    }

    /** For a command whose options precede its data: the text for a datum of the wrong kind, or null. */
    String dataValue(MajorVersion v, String commandKey) {
        return replies.get(v.label() + "|data-value|" + commandKey.toUpperCase(Locale.ROOT) + "|");
    }

    private static VersionTexts load() {
        Map<String, String> replies = new HashMap<>();
        CommandHistory.rows("engine-versions/replies.tsv", 5, r -> {
            for (String major : List.of(r[0].split(","))) {
                replies.put(major + "|" + r[1] + "|" + r[2] + "|" + r[3], r[4]);
            }
        });
        return new VersionTexts(Map.copyOf(replies));
    }
}
