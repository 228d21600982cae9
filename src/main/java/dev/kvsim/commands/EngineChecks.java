package dev.kvsim.commands;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The checks the engine makes before it runs or queues a command (redis-server's
 * commandCheckExistence and commandCheckArity): a known command and subcommand, a valid number of
 * arguments. The cluster proxy needs them where it answers for the engine, as when it queues a
 * MULTI itself; the arities come from the engine's COMMAND table and the texts are the engine's.
 */
public final class EngineChecks {

    /** The engine's limit on the bytes it quotes from a command line. */
    private static final int QUOTE_MAX = 128;

    private EngineChecks() {
    }

    /** The engine's error for this command (without the leading '-'), or null when it would run it. */
    public static String refusal(KeySpecs specs, List<byte[]> args) {
        String name = lower(args.get(0));
        if (!specs.isKnown(name)) {
            return unknownCommand(args);
        }
        String full = name;
        if (args.size() > 1 && specs.isContainer(name)) {
            full = name + '|' + lower(args.get(1));
            if (!specs.isKnown(full)) {
                return "ERR unknown subcommand '" + quote(args.get(1), QUOTE_MAX) + "'. Try "
                        + name.toUpperCase(Locale.ROOT) + " HELP.";
            }
        }
        int arity = specs.arity(full);
        if ((arity > 0 && arity != args.size()) || args.size() < -arity) {
            return wrongArity(full);
        }
        return null;
    }

    /** The engine's text for a wrong number of arguments ({@code name} lower case, subcommands as {@code container|sub}). */
    public static String wrongArity(String name) {
        return "ERR wrong number of arguments for '" + name + "' command";
    }

    /** The engine's text for a command it does not know: the name and the start of its arguments. */
    public static String unknownCommand(List<byte[]> args) {
        StringBuilder quoted = new StringBuilder();
        int length = 0;
        for (int i = 1; i < args.size() && length < QUOTE_MAX; i++) {
            byte[] arg = args.get(i);
            int take = Math.min(arg.length, QUOTE_MAX - length);
            quoted.append('\'').append(quote(arg, take)).append("' ");
            length += take + 3;
        }
        return "ERR unknown command '" + quote(args.get(0), QUOTE_MAX) + "', with args beginning with: " + quoted;
    }

    private static String quote(byte[] arg, int maxBytes) {
        return new String(arg, 0, Math.min(arg.length, maxBytes), StandardCharsets.UTF_8);
    }

    private static String lower(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }
}
