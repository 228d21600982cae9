package dev.kvsim.params;

import org.eclipse.microprofile.config.ConfigProvider;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The parameters an instance has, with their defaults and rules. Engine parameters keep the names
 * both Redis 6.2 and 7.x accept; Redis 7's newer spellings are accepted as aliases.
 */
public final class ParameterCatalog {

    public static final String MAXMEMORY_POLICY = "maxmemory-policy";
    public static final String DISABLED_COMMANDS = "#no_loose_disabled-commands";
    public static final String SCRIPT_CHECK = "script_check_enable";
    public static final String BANDWIDTH_MODE = "kvsim-bandwidth-mode";
    public static final String QPS_LIMIT = "kvsim-qps-limit";
    public static final String PROXY_RESP3 = "proxy_resp3_enable";
    /** The configuration key that gives {@link #PROXY_RESP3} its default for every instance. */
    public static final String PROXY_RESP3_DEFAULT_KEY = "kvsim.proxy.resp3";

    static final Set<String> POLICIES = Set.of("volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu",
            "volatile-random", "allkeys-random", "volatile-ttl", "noeviction");
    private static final Pattern KEYSPACE_EVENTS = Pattern.compile("[KEg$lshzxetmdnA]*");
    private static final Pattern COMMAND_LIST = Pattern.compile("|[a-z][a-z0-9_-]*(,[a-z][a-z0-9_-]*)*");

    private static final List<ParameterDefinition> ALL = List.of(
            new ParameterDefinition(MAXMEMORY_POLICY, "volatile-lru", true, true,
                    "How keys are evicted when memory reaches maxmemory.",
                    "one of allkeys-lfu, allkeys-lru, allkeys-random, noeviction, volatile-lfu, volatile-lru, "
                            + "volatile-random, volatile-ttl", POLICIES::contains),
            new ParameterDefinition("timeout", "0", true, true,
                    "Seconds after which an idle client connection is closed by the engine; 0 never closes.",
                    "an integer from 0 to 100000", range(0, 100_000)),
            new ParameterDefinition("notify-keyspace-events", "", true, true,
                    "Which keyspace events are published (K, E, g, $, l, s, h, z, x, e, t, m, d, n, A).",
                    "empty, or letters from K E g $ l s h z x e t m d n A",
                    v -> KEYSPACE_EVENTS.matcher(v).matches()),
            new ParameterDefinition("hz", "10", true, true,
                    "How often per second the engine runs background tasks such as expiring keys.",
                    "an integer from 1 to 500", range(1, 500)),
            new ParameterDefinition("lazyfree-lazy-eviction", "no", true, true,
                    "Whether evicted keys are freed in a background thread.", "yes or no", yesNo()),
            new ParameterDefinition("hash-max-ziplist-entries", "512", true, true,
                    "Hashes with at most this many fields use the compact encoding "
                            + "(Redis 7 calls it hash-max-listpack-entries).",
                    "an integer from 0 to 100000", range(0, 100_000)),
            new ParameterDefinition("slowlog-log-slower-than", "20000", true, true,
                    "Commands slower than this many microseconds go to the slow log; -1 turns it off.",
                    "an integer from -1 to 10000000", range(-1, 10_000_000)),
            new ParameterDefinition("slowlog-max-len", "1024", true, true,
                    "How many entries the slow log keeps.", "an integer from 100 to 10000", range(100, 10_000)),
            new ParameterDefinition(DISABLED_COMMANDS, "", true, false,
                    "Commands disabled for clients, comma-separated and lower case, e.g. keys,flushdb.",
                    "empty, or lower-case command names separated by commas",
                    v -> COMMAND_LIST.matcher(v).matches()),
            new ParameterDefinition(SCRIPT_CHECK, "1", true, false,
                    "Whether the cluster proxy checks that Lua scripts pass every key in KEYS (cluster instances).",
                    "0 or 1", v -> v.equals("0") || v.equals("1")),
            new ParameterDefinition(PROXY_RESP3, resp3Default(), true, false,
                    "kvsim: whether the cluster proxy speaks RESP3 (HELLO 3), as the service's proxy does from the "
                            + "minor version that brought it; 0 answers HELLO 3 with NOPROTO, as older proxies "
                            + "(cluster instances; its default is the configuration key " + PROXY_RESP3_DEFAULT_KEY + ").",
                    "0 or 1", v -> v.equals("0") || v.equals("1")),
            new ParameterDefinition(BANDWIDTH_MODE, "combined", true, false,
                    "kvsim: how the class's bandwidth caps traffic: inbound and outbound together (combined), "
                            + "or each direction on its own (per-direction).",
                    "combined or per-direction", v -> v.equals("combined") || v.equals("per-direction")),
            new ParameterDefinition(QPS_LIMIT, "no", true, false,
                    "kvsim: whether commands per second are capped at the class's QPS reference, emulating a "
                            + "single-threaded node's capacity; commands above it wait, none fails.",
                    "yes or no", yesNo()),
            new ParameterDefinition("databases", "256", false, false,
                    "Number of databases (DB 0 to DB 255).", "256", "256"::equals));

    /** Redis 7 spellings of engine parameters, mapped to the names kvsim keeps. */
    private static final Map<String, String> ALIASES = Map.of("hash-max-listpack-entries", "hash-max-ziplist-entries");

    private static final Map<String, ParameterDefinition> BY_NAME = new LinkedHashMap<>();

    static {
        ALL.forEach(d -> BY_NAME.put(d.name(), d));
    }

    private ParameterCatalog() {
    }

    public static List<ParameterDefinition> all() {
        return ALL;
    }

    /** The definition for a name or alias. */
    public static Optional<ParameterDefinition> find(String name) {
        return Optional.ofNullable(BY_NAME.get(ALIASES.getOrDefault(name, name)));
    }

    public static ParameterDefinition get(String name) {
        return find(name).orElseThrow();
    }

    public static Map<String, String> aliases() {
        return ALIASES;
    }

    /** The names a change may use, in catalog order, then the aliases: for error messages. */
    public static List<String> modifiableNames() {
        List<String> names = new java.util.ArrayList<>();
        ALL.stream().filter(ParameterDefinition::modifiable).forEach(d -> names.add(d.name()));
        ALIASES.keySet().stream().sorted().forEach(names::add);
        return names;
    }

    /**
     * {@code kvsim.proxy.resp3} (default true: new instances get the current proxy minor version,
     * which speaks RESP3; see docs/cluster.md) as the parameter's value.
     */
    private static String resp3Default() {
        boolean on = ConfigProvider.getConfig().getOptionalValue(PROXY_RESP3_DEFAULT_KEY, Boolean.class).orElse(true);
        return on ? "1" : "0";
    }

    private static Predicate<String> range(long min, long max) {
        return v -> {
            try {
                long n = Long.parseLong(v);
                return n >= min && n <= max;
            } catch (NumberFormatException e) {
                return false;
            }
        };
    }

    private static Predicate<String> yesNo() {
        return v -> v.equals("yes") || v.equals("no");
    }
}
