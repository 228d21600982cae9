package dev.kvsim.access;

import dev.kvsim.engine.EngineLocator;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The engine's ACL rules of each account privilege, so that the engine itself refuses what an
 * account may not run, with its own {@code NOPERM} text, inside {@code MULTI} and scripts too.
 *
 * <p>Read-only is more than {@code -@write}: the engine's commands that change the server's state
 * without writing a key ({@code CLIENT KILL}, {@code CLIENT PAUSE}, {@code SCRIPT FLUSH},
 * {@code CONFIG RESETSTAT}, {@code SLOWLOG RESET}, {@code MEMORY PURGE}, …) are denied too. They are
 * denied by command, and the command's harmless subcommands allowed again one by one, because
 * Redis 6.2 refuses a rule that denies a subcommand ({@code -config|set}) and 7.0 refuses one that
 * names a subcommand it lacks; so a subcommand added by a later engine is denied until listed here.
 * Whole categories ({@code -@admin}, {@code -@dangerous}) would also take INFO, KEYS, CONFIG GET and
 * SLOWLOG GET, which a read-only user of the service runs. Each entry carries the engine version
 * that introduced it (the engine's command table), and only what the running engine has is named.
 */
@ApplicationScoped
public class PrivilegeRules {

    /** A command a read-only account may not run, and its subcommands it may run (each since a version). */
    private record Denied(String command, String since, Map<String, String> allowed) {
    }

    private static final List<Denied> READ_ONLY_DENIED = List.of(
            new Denied("acl", "6.0.0", Map.of("cat", "6.0.0", "whoami", "6.0.0", "genpass", "6.0.0", "help", "6.0.0",
                    "list", "6.0.0", "users", "6.0.0", "getuser", "6.0.0", "dryrun", "7.0.0")),  // not: setuser, deluser, load, save, log (log reset)
            new Denied("client", "2.4.0", Map.ofEntries(Map.entry("caching", "6.0.0"), Map.entry("getname", "2.6.9"),
                    Map.entry("getredir", "6.0.0"), Map.entry("help", "5.0.0"), Map.entry("id", "5.0.0"),
                    Map.entry("info", "6.2.0"), Map.entry("list", "2.4.0"), Map.entry("reply", "3.2.0"),
                    Map.entry("setname", "2.6.9"), Map.entry("tracking", "6.0.0"), Map.entry("trackinginfo", "6.2.0"))),
            // not: kill, pause, unpause, no-evict, unblock
            new Denied("cluster", "3.0.0", Map.ofEntries(Map.entry("countkeysinslot", "3.0.0"),
                    Map.entry("count-failure-reports", "3.0.0"), Map.entry("getkeysinslot", "3.0.0"), Map.entry("help", "5.0.0"),
                    Map.entry("info", "3.0.0"), Map.entry("keyslot", "3.0.0"), Map.entry("links", "7.0.0"),
                    Map.entry("myid", "3.0.0"), Map.entry("nodes", "3.0.0"), Map.entry("replicas", "5.0.0"),
                    Map.entry("shards", "7.0.0"), Map.entry("slaves", "3.0.0"), Map.entry("slots", "3.0.0"))),
            new Denied("config", "2.0.0", Map.of("get", "2.0.0", "help", "5.0.0")),  // not: set, resetstat, rewrite
            new Denied("function", "7.0.0", Map.of("dump", "7.0.0", "list", "7.0.0", "stats", "7.0.0", "help", "7.0.0")),
            // not: load, delete, flush, restore, kill
            new Denied("latency", "2.8.13", Map.of("doctor", "2.8.13", "graph", "2.8.13", "histogram", "7.0.0",
                    "history", "2.8.13", "latest", "2.8.13", "help", "2.8.13")),  // not: reset
            new Denied("memory", "4.0.0", Map.of("doctor", "4.0.0", "malloc-stats", "4.0.0", "stats", "4.0.0",
                    "usage", "4.0.0", "help", "4.0.0")),  // not: purge
            new Denied("module", "4.0.0", Map.of("list", "4.0.0", "help", "5.0.0")),
            new Denied("script", "2.6.0", Map.of("exists", "2.6.0", "load", "2.6.0", "help", "5.0.0")),  // not: flush, kill, debug
            new Denied("slowlog", "2.2.12", Map.of("get", "2.2.12", "len", "2.2.12", "help", "6.2.0")),  // not: reset
            new Denied("bgrewriteaof", "1.0.0", Map.of()),
            new Denied("bgsave", "1.0.0", Map.of()),
            new Denied("save", "1.0.0", Map.of()),
            new Denied("shutdown", "1.0.0", Map.of()),
            new Denied("debug", "1.0.0", Map.of()),
            new Denied("failover", "6.2.0", Map.of()),
            new Denied("replicaof", "5.0.0", Map.of()),
            new Denied("slaveof", "1.0.0", Map.of()),
            new Denied("sync", "1.0.0", Map.of()),
            new Denied("psync", "2.8.0", Map.of()),
            new Denied("replconf", "3.0.0", Map.of()));

    private final EngineLocator engines;

    public PrivilegeRules(EngineLocator engines) {
        this.engines = engines;
    }

    /** The rules after the user name, for ACL SETUSER and the node's config file: on, password, keys, channels, commands. */
    public String aclRules(Account a) {
        return "on #" + sha256(a.enginePassword()) + " ~* &* " + commandRules(a.privilege(), engines.engine().version());
    }

    /** The command rules of a privilege on an engine of this version (e.g. "7.0.15"). */
    public static String commandRules(Account.Privilege privilege, String engineVersion) {
        if (privilege == Account.Privilege.RoleReadWrite) {
            return "+@all";
        }
        List<String> rules = new ArrayList<>(List.of("+@all", "-@write"));
        for (Denied d : READ_ONLY_DENIED) {
            if (!has(engineVersion, d.since())) {
                continue;
            }
            rules.add("-" + d.command());
            d.allowed().entrySet().stream().filter(e -> has(engineVersion, e.getValue())).map(Map.Entry::getKey).sorted()
                    .forEach(sub -> rules.add("+" + d.command() + "|" + sub));
        }
        return String.join(" ", rules);
    }

    /** Whether an engine of this version has what was introduced in {@code since}; an unknown version counts as new. */
    static boolean has(String engineVersion, String since) {
        int[] v = parse(engineVersion);
        int[] s = parse(since);
        if (v == null) {
            return true;
        }
        for (int k = 0; k < 3; k++) {
            if (v[k] != s[k]) {
                return v[k] > s[k];
            }
        }
        return true;
    }

    private static int[] parse(String version) {
        String[] parts = version.split("\\.");
        int[] v = new int[3];
        try {
            for (int k = 0; k < 3; k++) {
                v[k] = k < parts.length ? Integer.parseInt(parts[k]) : 0;
            }
            return v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
