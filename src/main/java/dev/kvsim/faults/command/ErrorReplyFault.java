package dev.kvsim.faults.command;

import dev.kvsim.faults.model.FaultSpec;

import java.util.Locale;
import java.util.Map;

/**
 * {@code error_reply}: the proxy answers an error instead of running the command. {@code message}
 * is the error line; {@code error} names one of the engine's own errors with its exact text.
 */
public final class ErrorReplyFault extends CommandFault {

    /** The engine's texts for the errors clients most often have to survive. */
    static final Map<String, String> ENGINE_ERRORS = Map.of(
            "READONLY", "READONLY You can't write against a read only replica.",
            "OOM", "OOM command not allowed when used memory > 'maxmemory'.",
            "LOADING", "LOADING Redis is loading the dataset in memory",
            "BUSY", "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSCRIPT.",
            "CLUSTERDOWN", "CLUSTERDOWN The cluster is down",
            "TRYAGAIN", "TRYAGAIN Multiple keys request during rehashing of slot",
            "MASTERDOWN", "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");

    private final String message;

    public ErrorReplyFault(FaultSpec spec) {
        super(spec);
        String text = spec.stringAttribute("message", null);
        String named = spec.stringAttribute("error", null);
        if (text == null && named == null) {
            throw new IllegalArgumentException("error_reply needs attributes.message (the error line) or attributes.error (one of "
                    + String.join(", ", new java.util.TreeSet<>(ENGINE_ERRORS.keySet())) + ").");
        }
        if (text == null) {
            text = ENGINE_ERRORS.get(named.toUpperCase(Locale.ROOT));
            if (text == null) {
                throw new IllegalArgumentException("attributes.error must be one of "
                        + String.join(", ", new java.util.TreeSet<>(ENGINE_ERRORS.keySet())) + "; got '" + named + "'.");
            }
        }
        if (text.isBlank() || text.contains("\r") || text.contains("\n")) {
            throw new IllegalArgumentException("attributes.message must be one non-empty line.");
        }
        this.message = text;
    }

    /** The error line, without the leading '-'. */
    public String message() {
        return message;
    }

    @Override
    public <T> T apply(CommandEffects<T> effects) {
        return effects.error(message);
    }
}
