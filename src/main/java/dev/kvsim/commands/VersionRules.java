package dev.kvsim.commands;

import dev.kvsim.resp.RespCommand;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an instance of one engine major version has, for an engine that is newer: every command of the
 * version table ({@link CommandHistory}) with the subcommands and arguments the version's release had, so
 * that what came later is refused with the release's own answer ({@link VersionTexts}).
 *
 * <p>Built once per version and shared; the proxy checks every command against it, so the check is one
 * map lookup for most commands, reads the command line in place, and allocates only to refuse.
 */
public final class VersionRules {

    /**
     * A refusal: the release's error text (without the '-'), and whether the release refuses the command before
     * queuing it in MULTI (unknown command, wrong number of arguments: EXEC then aborts) or only when it runs.
     */
    public record Refusal(String text, boolean atQueue) {
    }

    /** No emulation: the instance's version is the engine's own, which answers everything itself. */
    public static final VersionRules NONE = new VersionRules(null, Map.of());

    private static final Map<MajorVersion, VersionRules> BUILT = new EnumMap<>(MajorVersion.class);

    private final MajorVersion version;
    /** Every command of the table, lower case. */
    private final Map<String, Rule> rules;

    private VersionRules(MajorVersion version, Map<String, Rule> rules) {
        this.version = version;
        this.rules = rules;
    }

    /** The rules for an instance of {@code version} on an engine of {@code engineVersion}: none when the engine is that release or older. */
    public static VersionRules of(MajorVersion version, String engineVersion) {
        if (!version.olderThan(engineVersion)) {
            return NONE;
        }
        synchronized (BUILT) {
            return BUILT.computeIfAbsent(version, VersionRules::build);
        }
    }

    /** Whether the engine is newer than the instance's version, so that commands are checked. */
    public boolean emulates() {
        return version != null;
    }

    /** The emulated version; null for {@link #NONE}. */
    public MajorVersion version() {
        return version;
    }

    /**
     * The release's answer to a command it does not have, or null when it has the command (the engine answers).
     *
     * @param engine the engine's command table (its arities), or null before it is known
     */
    public Refusal check(RespCommand cmd, KeySpecs engine) {
        if (version == null) {
            return null;
        }
        Rule r = rules.get(cmd.name());
        if (r == null || r.tooNew) {
            return new Refusal(VersionTexts.get().unknownCommand(version, cmd), true);
        }
        if (r.subcommands != null && cmd.argc() >= 2) {
            return r.subcommand(cmd, engine, this);
        }
        return r.arguments == null ? null : r.arguments.check(cmd, this);
    }

    /** Whether the release's COMMAND lists the command (lower case). */
    public boolean lists(String name) {
        Rule r = rules.get(name);
        return r != null && !r.tooNew && r.listed;
    }

    /** The entries the release's COMMAND lists that the engine's does not (host:, post before 7.0), as JSON. */
    public List<String> extraEntries() {
        return CommandListing.extraEntries(version);
    }

    /** How many fields the release gives each COMMAND entry: 6 before 6.0, 7 (ACL categories) in 6.0, 10 from 7.0. */
    public int entryFields() {
        return version.compareTo(MajorVersion.V6_0) < 0 ? 6 : version == MajorVersion.V6_0 ? 7 : 10;
    }

    /** COMMAND COUNT as the release answers it on this engine: the engine's commands it lists, and its own extras. */
    public int commandCount(KeySpecs engine) {
        int n = extraEntries().size();
        for (Map.Entry<String, Rule> e : rules.entrySet()) {
            if (!e.getValue().tooNew && e.getValue().listed && (engine == null || engine.isKnown(e.getKey()))) {
                n++;
            }
        }
        return n;
    }

    Refusal unknownSubcommand(String container, RespCommand cmd) {
        return new Refusal(VersionTexts.get().unknownSubcommand(version, container, cmd), version == MajorVersion.V7_0);
    }

    MajorVersion emulated() {
        return version;
    }

    private static VersionRules build(MajorVersion v) {
        CommandHistory history = CommandHistory.get();
        Map<String, Rule> rules = new HashMap<>();
        Map<String, List<String>> subcommands = new HashMap<>();
        history.commands().forEach((key, since) -> {
            int bar = key.indexOf('|');
            if (bar > 0 && MajorVersion.compare(since, v.release()) <= 0) {
                subcommands.computeIfAbsent(key.substring(0, bar), k -> new ArrayList<>()).add(key.substring(bar + 1));
            }
        });
        history.commands().forEach((key, since) -> {
            if (key.indexOf('|') < 0) {
                boolean tooNew = MajorVersion.compare(since, v.release()) > 0;
                boolean listed = CommandListing.listed(v, key);
                List<String> subs = history.commands().keySet().stream().anyMatch(k -> k.startsWith(key + "|"))
                        ? subcommands.getOrDefault(key, List.of()) : null;
                rules.put(key, new Rule(key, v, tooNew, listed, subs));
            }
        });
        return new VersionRules(v, Map.copyOf(rules));
    }

    /** One command of the table at this version. */
    private static final class Rule {
        final String name;
        final boolean tooNew;
        final boolean listed;
        /** The subcommands the version has, lower case; null for a command without subcommands. */
        final byte[][] subcommands;
        final String[] subcommandKeys;
        final ArgumentCheck[] subcommandArguments;
        final ArgumentCheck arguments;

        Rule(String name, MajorVersion v, boolean tooNew, boolean listed, List<String> subs) {
            this.name = name;
            this.tooNew = tooNew;
            this.listed = listed;
            this.arguments = ArgumentCheck.of(name, v);
            if (subs == null) {
                subcommands = null;
                subcommandKeys = null;
                subcommandArguments = null;
                return;
            }
            subcommands = new byte[subs.size()][];
            subcommandKeys = new String[subs.size()];
            subcommandArguments = new ArgumentCheck[subs.size()];
            for (int i = 0; i < subs.size(); i++) {
                subcommands[i] = subs.get(i).getBytes(StandardCharsets.US_ASCII);
                subcommandKeys[i] = name + "|" + subs.get(i);
                subcommandArguments[i] = ArgumentCheck.of(subcommandKeys[i], v);
            }
        }

        Refusal subcommand(RespCommand cmd, KeySpecs engine, VersionRules owner) {
            int s = 0;
            while (s < subcommands.length && !cmd.argIs(1, subcommands[s])) {
                s++;
            }
            if (s == subcommands.length) {
                return owner.unknownSubcommand(name, cmd);
            }
            String key = subcommandKeys[s];
            if (owner.emulated() != MajorVersion.V7_0 && engine != null && engine.isKnown(key)) {
                // Before 7.0 each command dispatched its subcommands by name and count: a wrong count got the
                // command's unknown-subcommand text, never 7.0's "wrong number of arguments for 'client|info'".
                int arity = engine.arity(key);
                if ((arity > 0 && arity != cmd.argc()) || cmd.argc() < -arity) {
                    return owner.unknownSubcommand(name, cmd);
                }
            }
            return subcommandArguments[s] == null ? null : subcommandArguments[s].check(cmd, owner);
        }
    }
}
