package dev.kvsim.commands;

import io.vertx.redis.client.Response;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where the keys of a command are, learnt from the engine's own {@code COMMAND} reply, so that kvsim keeps no
 * hand-written list of ordinary commands and follows whatever engine version it runs.
 * <p>
 * Ordinary commands use COMMAND's first key, last key and step. Container commands (OBJECT, XINFO, MEMORY ...)
 * have no keys of their own, so their subcommand entries ({@code object|encoding}) are used. Commands flagged
 * {@code movablekeys} have keys that COMMAND cannot describe with first/last/step; the common ones are parsed
 * here the way Redis's own getkeys functions do, the rest give {@code null} so the caller asks the engine with
 * {@code COMMAND GETKEYS}.
 * <p>
 * The shard-channel commands (SPUBLISH, SSUBSCRIBE, SUNSUBSCRIBE) report their channels as first/last/step with
 * a {@code not_key} key spec: COMMAND GETKEYS says they have no keys, but a cluster routes them by the channel's
 * slot, so the channels are returned as keys here.
 * <p>
 * Immutable once built; safe to share between event loops. Never throws on user input: arguments that cannot
 * hold keys give an empty answer for that part and the engine reports the syntax error.
 */
public final class KeySpecs {

    private static final int[] NONE = new int[0];

    private record Entry(int arity, Set<String> flags, int firstKey, int lastKey, int step, boolean hasSubcommands,
                         CommandKind kind) {
    }

    /** Lower-case name (subcommands as {@code container|sub}) to entry. */
    private final Map<String, Entry> entries;

    private KeySpecs(Map<String, Entry> entries) {
        this.entries = entries;
    }

    /** Builds from the reply to {@code COMMAND}, RESP2 or RESP3. */
    public static KeySpecs fromCommandReply(Response reply) {
        Map<String, Entry> entries = new HashMap<>();
        if (reply != null) {
            for (Response entry : reply) {
                add(entries, entry);
            }
        }
        return new KeySpecs(Map.copyOf(entries));
    }

    private static void add(Map<String, Entry> entries, Response entry) {
        if (entry == null || entry.size() < 6) {
            return;
        }
        Set<String> flags = new HashSet<>();
        Response flagList = entry.get(2);
        if (flagList != null) {
            for (Response f : flagList) {
                flags.add(f.toString().toLowerCase(Locale.ROOT));
            }
        }
        Response subcommands = entry.size() > 9 ? entry.get(9) : null;
        boolean hasSubcommands = subcommands != null && subcommands.size() > 0;
        entries.put(entry.get(0).toString().toLowerCase(Locale.ROOT),
                new Entry(entry.get(1).toInteger(), Set.copyOf(flags), entry.get(3).toInteger(), entry.get(4).toInteger(),
                        entry.get(5).toInteger(), hasSubcommands, CommandKind.of(flags)));
        if (hasSubcommands) {
            for (Response sub : subcommands) {
                add(entries, sub);
            }
        }
    }

    public boolean isKnown(String lowerCaseName) {
        return entries.containsKey(lowerCaseName);
    }

    /** The engine's arity: N exactly N arguments (name included), -N at least N; 0 for an unknown command. */
    public int arity(String lowerCaseName) {
        Entry e = entries.get(lowerCaseName);
        return e == null ? 0 : e.arity();
    }

    /** A command with subcommands (CONFIG, OBJECT ...), whose entries are {@code container|sub}. */
    public boolean isContainer(String lowerCaseName) {
        Entry e = entries.get(lowerCaseName);
        return e != null && e.hasSubcommands();
    }

    /** Lower-case flags ("write", "readonly", "noscript", "movablekeys" ...); empty for an unknown command. */
    public Set<String> flags(String lowerCaseName) {
        Entry e = entries.get(lowerCaseName);
        return e == null ? Set.of() : e.flags();
    }

    /**
     * The command's family and whether it blocks, worked out once from its flags: one lookup per command on
     * the proxy's hot path (monitoring counts every command). {@link CommandKind#OTHER} for an unknown command.
     */
    public CommandKind kind(String lowerCaseName) {
        Entry e = entries.get(lowerCaseName);
        return e == null ? CommandKind.OTHER : e.kind();
    }

    public boolean hasFlag(String name, String flag) {
        return flags(name.toLowerCase(Locale.ROOT)).contains(flag.toLowerCase(Locale.ROOT));
    }

    /**
     * Indexes in {@code args} (args[0] is the command name, any case) of the key arguments, in order; empty for
     * a keyless command; {@code null} for an unknown command or a movablekeys command not parsed here.
     */
    public int[] keyIndexes(List<byte[]> args) {
        if (args == null || args.isEmpty()) {
            return null;
        }
        return keyIndexes(lower(args.get(0)), args);
    }

    /** As {@link #keyIndexes(List)}, for a caller that already has the lower-case command name. */
    public int[] keyIndexes(String lowerCaseName, List<byte[]> args) {
        String name = lowerCaseName;
        Entry e = entries.get(name);
        if (e == null) {
            return null;
        }
        if (e.hasSubcommands() && args.size() > 1) {
            String full = name + '|' + lower(args.get(1));
            Entry sub = entries.get(full);
            if (sub != null) {
                name = full;
                e = sub;
            }
        }
        if (e.flags().contains("movablekeys")) {
            return movableKeys(name, args);
        }
        return range(args.size(), e.firstKey(), e.lastKey(), e.step());
    }

    private static int[] range(int argc, int first, int last, int step) {
        if (first <= 0 || first >= argc) {
            return NONE;
        }
        int end = last < 0 ? argc + last : Math.min(last, argc - 1);
        int by = Math.max(step, 1);
        if (end < first) {
            return NONE;
        }
        int[] keys = new int[(end - first) / by + 1];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = first + i * by;
        }
        return keys;
    }

    private static int[] movableKeys(String name, List<byte[]> args) {
        int argc = args.size();
        return switch (name) {
            case "eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro", "blmpop", "bzmpop" ->
                    counted(args, 2);
            case "zunion", "zinter", "zdiff", "sintercard", "zintercard", "lmpop", "zmpop" -> counted(args, 1);
            case "zunionstore", "zinterstore", "zdiffstore" -> argc < 2 ? NONE : prepend(1, counted(args, 2));
            case "xread", "xreadgroup" -> streams(args);
            case "sort" -> sort(args);
            // SORT_RO has no STORE; BY and GET patterns name keys only through the sorted key's contents.
            case "sort_ro" -> argc < 2 ? NONE : new int[] {1};
            case "georadius" -> geoRadius(args, 6);
            case "georadiusbymember" -> geoRadius(args, 5);
            case "migrate" -> migrate(args);
            default -> null;
        };
    }

    /** numkeys at {@code countAt}, then that many keys. */
    private static int[] counted(List<byte[]> args, int countAt) {
        if (countAt >= args.size()) {
            return NONE;
        }
        int n = count(args.get(countAt));
        if (n <= 0 || n > args.size() - countAt - 1) {
            return NONE;
        }
        int[] keys = new int[n];
        for (int i = 0; i < n; i++) {
            keys[i] = countAt + 1 + i;
        }
        return keys;
    }

    /** The first half of the arguments after STREAMS; options are skipped the way XREAD parses them. */
    private static int[] streams(List<byte[]> args) {
        int argc = args.size();
        for (int i = 1; i < argc; i++) {
            byte[] a = args.get(i);
            if (is(a, "block") || is(a, "count")) {
                i++;
            } else if (is(a, "group")) {
                i += 2;
            } else if (is(a, "streams")) {
                int rest = argc - i - 1;
                // An odd count is a syntax error the engine reports; no keys to route by.
                if (rest == 0 || rest % 2 != 0) {
                    return NONE;
                }
                int[] keys = new int[rest / 2];
                for (int k = 0; k < keys.length; k++) {
                    keys[k] = i + 1 + k;
                }
                return keys;
            } else if (!is(a, "noack")) {
                return NONE;
            }
        }
        return NONE;
    }

    /** The sorted key and the last STORE destination, skipping option values as Redis's sortGetKeys does. */
    private static int[] sort(List<byte[]> args) {
        int argc = args.size();
        if (argc < 2) {
            return NONE;
        }
        int store = -1;
        for (int i = 2; i < argc; i++) {
            byte[] a = args.get(i);
            if (is(a, "limit")) {
                i += 2;
            } else if (is(a, "get") || is(a, "by")) {
                i++;
            } else if (is(a, "store") && i + 1 < argc) {
                // SORT writes to the last STORE given.
                store = i + 1;
            }
        }
        return store < 0 ? new int[] {1} : new int[] {1, store};
    }

    /** The key, then the argument after every STORE / STOREDIST from {@code optionsFrom} on. */
    private static int[] geoRadius(List<byte[]> args, int optionsFrom) {
        int argc = args.size();
        if (argc < 2) {
            return NONE;
        }
        int[] keys = new int[argc];
        int n = 0;
        keys[n++] = 1;
        for (int i = optionsFrom; i + 1 < argc; i++) {
            if (is(args.get(i), "store") || is(args.get(i), "storedist")) {
                keys[n++] = ++i;
            }
        }
        return Arrays.copyOf(keys, n);
    }

    /** The key at 3, or, when it is empty, the arguments after KEYS (options skipped as migrateGetKeys does). */
    private static int[] migrate(List<byte[]> args) {
        int argc = args.size();
        if (argc < 4) {
            return NONE;
        }
        for (int i = 6; i < argc; i++) {
            byte[] a = args.get(i);
            if (is(a, "keys")) {
                if (args.get(3).length > 0) {
                    return NONE; // both a key and KEYS: the engine refuses it
                }
                int[] keys = new int[argc - i - 1];
                for (int k = 0; k < keys.length; k++) {
                    keys[k] = i + 1 + k;
                }
                return keys;
            } else if (is(a, "auth")) {
                i++;
            } else if (is(a, "auth2")) {
                i += 2;
            }
        }
        return new int[] {3};
    }

    private static int[] prepend(int index, int[] rest) {
        int[] keys = new int[rest.length + 1];
        keys[0] = index;
        System.arraycopy(rest, 0, keys, 1, rest.length);
        return keys;
    }

    /** A non-negative decimal as Redis's string2ll accepts it (no sign, no leading zeros); -1 otherwise. */
    private static int count(byte[] b) {
        if (b.length == 0 || b.length > 9 || (b[0] == '0' && b.length > 1)) {
            return -1;
        }
        int n = 0;
        for (byte c : b) {
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** ASCII case-insensitive comparison with a lower-case keyword, without allocating. */
    private static boolean is(byte[] arg, String keyword) {
        if (arg.length != keyword.length()) {
            return false;
        }
        for (int i = 0; i < arg.length; i++) {
            int c = arg[i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != keyword.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String lower(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }
}
