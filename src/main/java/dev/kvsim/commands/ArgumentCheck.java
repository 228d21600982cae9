package dev.kvsim.commands;

import dev.kvsim.commands.ArgumentShape.Node;
import dev.kvsim.commands.ArgumentShape.Token;
import dev.kvsim.commands.CommandHistory.ArgumentRow;
import dev.kvsim.resp.RespCommand;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of one command that one version lacks, found in a command line ({@link ArgumentShape}), and
 * what the version's release answered when a client sent one:
 * <ul>
 *   <li>where the release's command took a fixed number of arguments (LPOP, EXPIRE, AUTH before 6.0):
 *       {@code ERR wrong number of arguments}, or for a subcommand (CLIENT PAUSE … WRITE) the command's
 *       unknown-subcommand text, as the release dispatched subcommands by name and count;</li>
 *   <li>where its options came before its data (ZADD, GEOADD, XADD): what it said of the option read as the
 *       first datum ({@link VersionTexts#dataCount}, {@link VersionTexts#dataValue});</li>
 *   <li>else the argument's own text where it had one, or {@code ERR syntax error}.</li>
 * </ul>
 */
final class ArgumentCheck {

    private final ArgumentShape shape;
    private final MajorVersion version;
    /** Per token of the shape: the version lacks it. */
    private final boolean[] newer;
    /** Per positional of the shape: the version lacks it. */
    private final boolean[] newerPositional;
    /** The release's command (or subcommand) took a fixed number of arguments. */
    private final boolean fixed;

    private ArgumentCheck(ArgumentShape shape, MajorVersion version, boolean[] newer, boolean[] newerPositional,
                          boolean fixed) {
        this.shape = shape;
        this.version = version;
        this.newer = newer;
        this.newerPositional = newerPositional;
        this.fixed = fixed;
    }

    /** The check of a command's arguments at a version, or null when the version has all the arguments the table dates. */
    static ArgumentCheck of(String key, MajorVersion v) {
        ArgumentShape shape = ArgumentShape.of(key);
        if (shape == null) {
            return null;
        }
        Dates dates = new Dates(CommandHistory.get().arguments(key), v);
        boolean[] newer = new boolean[shape.tokens.size()];
        boolean any = false;
        for (int i = 0; i < newer.length; i++) {
            Token t = shape.tokens.get(i);
            newer[i] = dates.newer(t.node(), t.enclosing());
            any |= newer[i];
        }
        boolean[] newerPositional = new boolean[shape.positionals.size()];
        for (int i = 0; i < newerPositional.length; i++) {
            newerPositional[i] = dates.newer(shape.positionals.get(i).node(), List.of());
            any |= newerPositional[i];
        }
        if (!any) {
            return null;
        }
        boolean fixed = shape.top.stream().noneMatch(n -> dates.variable(n, List.of()));
        return new ArgumentCheck(shape, v, newer, newerPositional, fixed);
    }

    /** Null when the command line uses only what the version has. */
    VersionRules.Refusal check(RespCommand cmd, VersionRules rules) {
        int argc = cmd.argc();
        int i = shape.offset + shape.prefix;
        if (i >= argc) {
            return null;
        }
        int owed = 0;
        int positional = shape.prefix;
        for (; i < argc; i++) {
            int t = tokenAt(cmd, i);
            if (t >= 0) {
                Token token = shape.tokens.get(t);
                if (shape.dataAfterOptions && token.startsData()) {
                    break;
                }
                if (newer[t]) {
                    return refusal(cmd, rules, token.text(), cmd.argString(i));
                }
                owed = token.values() > 0 ? token.values() : owed;  // MAXLEN ~ 10: "~" sits before MAXLEN's value
            } else if (owed > 0) {
                owed = owed == Integer.MAX_VALUE ? owed : owed - 1;
            } else if (shape.dataAfterOptions) {
                break;
            } else {
                positional++;
            }
        }
        for (int p = 0; p < newerPositional.length; p++) {
            if (newerPositional[p] && positional >= shape.positionals.get(p).needed()) {
                return refusal(cmd, rules, null, null);
            }
        }
        return null;
    }

    private int tokenAt(RespCommand cmd, int i) {
        for (int t = 0; t < newer.length; t++) {
            if (cmd.argIs(i, shape.tokens.get(t).lower())) {
                return t;
            }
        }
        return -1;
    }

    private VersionRules.Refusal refusal(RespCommand cmd, VersionRules rules, String token, String asSent) {
        VersionTexts texts = VersionTexts.get();
        if (fixed) {
            int bar = shape.key.indexOf('|');
            return bar < 0 ? new VersionRules.Refusal(EngineChecks.wrongArity(shape.key), true)
                    : rules.unknownSubcommand(shape.key.substring(0, bar), cmd);
        }
        String own = token == null ? null : texts.argument(version, shape.key, token, asSent);
        if (own != null) {
            return new VersionRules.Refusal(own, false);
        }
        if (shape.dataAfterOptions) {
            int data = dataStart(cmd);
            int count = cmd.argc() - data;
            String countText = texts.dataCount(version, shape.key);
            if (countText != null && shape.dataGroup > 0 && (count == 0 || count % shape.dataGroup != 0)) {
                return new VersionRules.Refusal(countText, false);
            }
            String valueText = texts.dataValue(version, shape.key);
            if (valueText != null) {
                return new VersionRules.Refusal(valueText, false);
            }
        }
        return new VersionRules.Refusal(VersionTexts.SYNTAX_ERROR, false);
    }

    /** Where the release read the data: the first argument after the leading ones that is not an option it had. */
    private int dataStart(RespCommand cmd) {
        int owed = 0;
        int i = shape.offset + shape.prefix;
        for (; i < cmd.argc(); i++) {
            int t = tokenAt(cmd, i);
            if (t >= 0 && !newer[t] && !shape.tokens.get(t).startsData()) {
                owed = shape.tokens.get(t).values() > 0 ? shape.tokens.get(t).values() : owed;
            } else if (owed > 0 && t < 0) {
                owed--;
            } else {
                break;
            }
        }
        return i;
    }

    /** The table's dates for one command's arguments, matched to their specs: by token, else by name, else the enclosing spec's. */
    private static final class Dates {
        private final List<ArgumentRow> rows;
        private final MajorVersion version;

        Dates(List<ArgumentRow> rows, MajorVersion version) {
            this.rows = rows;
            this.version = version;
        }

        /** Whether the version lacks the spec (the innermost dated spec of it and its enclosing ones is newer). */
        boolean newer(Node n, List<Node> enclosing) {
            String since = since(n);
            for (int k = 0; since == null && k < enclosing.size(); k++) {
                since = since(enclosing.get(k));
            }
            return since != null && MajorVersion.compare(since, version.release()) > 0;
        }

        /** Whether the spec, as the version has it, takes a varying number of arguments. */
        boolean variable(Node n, List<Node> enclosing) {
            if (newer(n, enclosing)) {
                return false;
            }
            if (n.optional() || n.multiple()) {
                return true;
            }
            List<Node> inner = new ArrayList<>(enclosing.size() + 1);
            inner.add(n);
            inner.addAll(enclosing);
            for (Node c : n.children()) {
                if (!newer(c, inner) && (variable(c, inner) || (n.type().equals("oneof") && c.type().equals("block")))) {
                    return true;
                }
            }
            return false;
        }

        private String since(Node n) {
            for (ArgumentRow r : rows) {
                if (r.key().equals(n.token())) {
                    return r.since();
                }
            }
            for (ArgumentRow r : rows) {
                if (r.key().equals(n.name())) {
                    return r.since();
                }
            }
            return null;
        }
    }
}
