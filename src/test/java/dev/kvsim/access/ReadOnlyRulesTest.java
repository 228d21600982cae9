package dev.kvsim.access;

import dev.kvsim.RedisServerProcess;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The read-only privilege's engine rules on the engines kvsim runs: the whole command table of the
 * Redis 7.0 on PATH, and the Redis 6.2 bundled with kvsim (whose ACL refuses rules that deny a
 * subcommand or name a command it lacks).
 */
class ReadOnlyRulesTest {

    /** Commands that change the server's state without writing a key (the engine's @write covers those). */
    static final Set<String> STATE_CHANGING = Set.of(
            "acl|setuser", "acl|deluser", "acl|load", "acl|save", "acl|log",
            "client|kill", "client|pause", "client|unpause", "client|no-evict", "client|unblock",
            "config|set", "config|resetstat", "config|rewrite", "latency|reset", "memory|purge",
            "module|load", "module|loadex", "module|unload", "script|flush", "script|kill", "script|debug",
            "slowlog|reset", "function|kill", "bgrewriteaof", "bgsave", "save", "shutdown", "debug", "failover",
            "replicaof", "slaveof", "sync", "psync", "replconf",
            "cluster|addslots", "cluster|addslotsrange", "cluster|bumpepoch", "cluster|delslots", "cluster|delslotsrange",
            "cluster|failover", "cluster|flushslots", "cluster|forget", "cluster|meet", "cluster|replicate",
            "cluster|reset", "cluster|saveconfig", "cluster|set-config-epoch", "cluster|setslot");

    /** The engine's @admin and @dangerous commands that only read: a read-only account runs them. */
    static final Set<String> ADMIN_READS = Set.of(
            "acl|dryrun", "acl|getuser", "acl|list", "acl|users", "client|list", "cluster|count-failure-reports",
            "cluster|replicas", "cluster|slaves", "config|get", "info", "keys", "lastsave", "latency|doctor",
            "latency|graph", "latency|histogram", "latency|history", "latency|latest", "module|list", "monitor",
            "pfselftest", "role", "slowlog|get", "slowlog|len", "sort_ro");

    @Test
    void onRedis7EveryStateChangingCommandOfTheEngineTableIsDeniedAndNothingElse() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start(); Jedis admin = new Jedis("127.0.0.1", redis.port())) {
            String version = version(admin);
            assumeTrue(version.startsWith("7.0"), "the engine table below is Redis 7.0's; PATH has " + version);
            List<String> rules = new ArrayList<>(List.of("ro", "on", ">Reader0nly!", "~*", "&*"));
            rules.addAll(List.of(PrivilegeRules.commandRules(Account.Privilege.RoleReadOnly, version).split(" ")));
            assertEquals("OK", admin.aclSetUser("ro", rules.subList(1, rules.size()).toArray(String[]::new)));

            Map<String, Integer> arity = new TreeMap<>();
            Map<String, Set<String>> categories = new TreeMap<>();
            for (Object entry : (List<?>) admin.sendCommand(Protocol.Command.COMMAND)) {
                walk((List<?>) entry, arity, categories);
            }
            assertEquals(true, arity.size() > 300, "the whole table: " + arity.size());
            List<String> wrong = new ArrayList<>();
            for (String command : arity.keySet()) {
                Set<String> cats = categories.get(command);
                boolean admin7 = cats.contains("@admin") || cats.contains("@dangerous");
                if (admin7 && !ADMIN_READS.contains(command) && !cats.contains("@write") && !STATE_CHANGING.contains(command)) {
                    wrong.add(command + ": an administrative command neither listed as a read nor as state-changing");
                }
                boolean expectDenied = cats.contains("@write") || STATE_CHANGING.contains(command);
                String answer = dryRun(admin, command, arity.get(command));
                boolean denied = answer.equals("This user has no permissions to run the '" + command + "' command");
                if (denied != expectDenied || (!denied && !answer.equals("OK"))) {
                    wrong.add(command + " " + cats + ": " + answer);
                }
            }
            assertEquals(List.of(), wrong);
        }
    }

    @Test
    void onTheBundledRedis62TheRulesAreAcceptedAndRefuseWithItsOwnNoperm() throws Exception {
        Path engine = bundled62();
        try (RedisServerProcess redis = RedisServerProcess.startBinary(engine.toString());
             Jedis admin = new Jedis("127.0.0.1", redis.port()); Jedis ro = new Jedis("127.0.0.1", redis.port())) {
            String version = version(admin);
            assertEquals("6.2", version.substring(0, 3));
            List<String> rules = new ArrayList<>(List.of("on", ">Reader0nly!", "~*", "&*"));
            rules.addAll(List.of(PrivilegeRules.commandRules(Account.Privilege.RoleReadOnly, version).split(" ")));
            assertEquals("OK", admin.aclSetUser("ro", rules.toArray(String[]::new)), "no FUNCTION, no -config|set on 6.2");
            ro.auth("ro", "Reader0nly!");
            for (String[] c : new String[][] {{"CLIENT", "KILL", "TYPE", "normal"}, {"CLIENT", "PAUSE", "100"},
                    {"CLIENT", "UNPAUSE"}, {"CONFIG", "RESETSTAT"}, {"CONFIG", "SET", "hz", "20"}, {"SLOWLOG", "RESET"},
                    {"LATENCY", "RESET"}, {"ACL", "LOG", "RESET"}, {"MEMORY", "PURGE"}, {"SCRIPT", "FLUSH"},
                    {"SCRIPT", "KILL"}, {"SET", "k", "v"}, {"BGSAVE"}, {"FLUSHALL"}}) {
                JedisDataException e = org.junit.jupiter.api.Assertions.assertThrows(JedisDataException.class,
                        () -> ro.sendCommand(() -> c[0].getBytes(StandardCharsets.UTF_8), rest(c)), String.join(" ", c));
                // Redis 6.2's own text names the command only, whether the subcommand or the command was denied
                assertEquals("NOPERM this user has no permissions to run the '" + c[0].toLowerCase()
                        + "' command or its subcommand", e.getMessage(), String.join(" ", c));
            }
            assertNotEquals(0, ro.info().length());
            ro.keys("*");
            ro.scan("0");
            ro.configGet("maxmemory");
            ro.slowlogGet();
            ro.clientList();
            ro.clientId();
        }
    }

    private static String[] rest(String[] c) {
        String[] r = new String[c.length - 1];
        System.arraycopy(c, 1, r, 0, r.length);
        return r;
    }

    /** Every command and subcommand of the table ("config|get"), with its arity and ACL categories. */
    private static void walk(List<?> entry, Map<String, Integer> arity, Map<String, Set<String>> categories) {
        String name = new String((byte[]) entry.get(0), StandardCharsets.UTF_8);
        List<?> subcommands = entry.size() > 9 ? (List<?>) entry.get(9) : List.of();
        if (!subcommands.isEmpty()) {
            subcommands.forEach(s -> walk((List<?>) s, arity, categories));
            return;
        }
        arity.put(name, ((Long) entry.get(1)).intValue());
        Set<String> cats = new java.util.HashSet<>();
        ((List<?>) entry.get(6)).forEach(c -> cats.add(new String((byte[]) c, StandardCharsets.UTF_8)));
        categories.put(name, cats);
    }

    /** ACL DRYRUN with as many placeholder arguments as the command's arity asks. */
    private static String dryRun(Jedis admin, String command, int arity) {
        List<String> args = new ArrayList<>(List.of("DRYRUN", "ro"));
        args.addAll(List.of(command.split("\\|")));
        int words = command.split("\\|").length;
        int needed = Math.abs(arity);
        for (int k = words; k < needed; k++) {
            args.add("x");
        }
        Object reply = admin.sendCommand(Protocol.Command.ACL, args.toArray(String[]::new));
        return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    private static String version(Jedis j) {
        return j.info("server").lines().filter(l -> l.startsWith("redis_version:")).findFirst().orElseThrow()
                .substring("redis_version:".length()).trim();
    }

    /** The Redis 6.2 binary kvsim bundles (from embedded-redis), as kvsim extracts it. */
    private static Path bundled62() throws Exception {
        String os = System.getProperty("os.name").toLowerCase();
        String arch = System.getProperty("os.arch");
        assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64")), "bundled binary for linux-amd64 here");
        Path target = Path.of("target", "engine-6.2", "redis-server-6.2.6-v5-linux-amd64").toAbsolutePath();
        if (!Files.isExecutable(target)) {
            Files.createDirectories(target.getParent());
            try (InputStream in = ReadOnlyRulesTest.class.getClassLoader().getResourceAsStream(target.getFileName().toString())) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            target.toFile().setExecutable(true);
        }
        return target;
    }
}
