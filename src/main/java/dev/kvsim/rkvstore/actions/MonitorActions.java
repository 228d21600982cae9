package dev.kvsim.rkvstore.actions;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kvsim.core.KvsimClock;
import dev.kvsim.core.ServiceError;
import dev.kvsim.metrics.MetricKey;
import dev.kvsim.metrics.MetricScope;
import dev.kvsim.metrics.MetricsQuery;
import dev.kvsim.metrics.MetricsResult;
import dev.kvsim.rkvstore.ActionTable;
import dev.kvsim.rkvstore.RpcActions;
import dev.kvsim.rkvstore.RpcErrors;
import dev.kvsim.rkvstore.RpcRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Monitoring: DescribeMonitorItems (every key with its unit) and DescribeHistoryMonitorValues (the history in the
 * service's {@code MonitorHistory} shape: a JSON object in a string, by time, of each key's value as a string).
 * The interval follows the range, as on the service: 5 s for up to 10 minutes of the last hour, else 1 minute, and
 * 5 minutes for ranges longer than 10,000 minutes.
 */
@ApplicationScoped
public class MonitorActions implements RpcActions {

    /** The keys the service answers when MonitorKeys is absent. */
    private static final List<String> DEFAULT_KEYS = List.of("UsedMemory", "quotaMemory");
    private static final Duration MAX_RANGE = Duration.ofDays(7);

    private final MetricsQuery metrics;
    private final KvsimClock clock;
    private final ObjectMapper json;

    public MonitorActions(MetricsQuery metrics, KvsimClock clock, ObjectMapper json) {
        this.metrics = metrics;
        this.clock = clock;
        this.json = json;
    }

    @Override
    public void register(ActionTable table) {
        table.add("DescribeMonitorItems", this::items);
        table.add("DescribeHistoryMonitorValues", this::history);
    }

    public record Item(String monitorKey, String unit) {
    }

    public record ItemList(@JsonProperty("KVStoreMonitorItem") List<Item> kvStoreMonitorItem) {
    }

    public record Items(ItemList monitorItems) {
    }

    private Items items(RpcRequest r) {
        return new Items(new ItemList(Arrays.stream(MetricKey.values()).map(k -> new Item(k.serviceName(), k.unit())).toList()));
    }

    public record History(String monitorHistory) {
    }

    private History history(RpcRequest r) {
        String id = r.instanceId();
        Instant start = time(r, "StartTime");
        Instant end = time(r, "EndTime");
        r.required("IntervalForHistory");  // fixed at 01m by the service, which picks the interval itself
        if (!end.isAfter(start)) {
            throw RpcErrors.invalid("EndTime", "it must be later than StartTime (" + start + "); got " + end + ".");
        }
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw RpcErrors.invalid("EndTime", "the range from StartTime may be at most 7 days; got "
                    + Duration.between(start, end).toHours() + " hours.");
        }
        String nodeId = r.string("NodeId");
        if (nodeId != null && nodeId.contains("#")) {
            nodeId = nodeId.substring(0, nodeId.indexOf('#'));  // the service's node IDs carry a #suffix
        }
        List<String> asked = r.string("MonitorKeys") == null ? DEFAULT_KEYS : r.commaList("MonitorKeys");
        Map<String, String> keyOf = new LinkedHashMap<>();  // as asked -> the key's name
        for (String name : asked) {
            // CpuUsage$db, CpuUsage$proxy: the service's aggregates over data nodes and proxies; an instance's own series here
            keyOf.put(name, name.contains("$") ? name.substring(0, name.indexOf('$')) : name);
        }
        try {
            MetricsQuery.keys(List.copyOf(keyOf.values()), nodeId == null ? MetricScope.Level.INSTANCE : MetricScope.Level.NODE);
        } catch (ServiceError e) {
            throw RpcErrors.invalid("MonitorKeys", e.getMessage());
        }
        String node = nodeId;
        MetricsResult result = namingNode(() -> metrics.query(id, List.copyOf(keyOf.values()), start, end, interval(start, end),
                node, null));
        return new History(encode(result, keyOf));
    }

    /** Runs a query; a node the instance does not have is the NodeId parameter's fault. */
    static <T> T namingNode(java.util.function.Supplier<T> query) {
        try {
            return query.get();
        } catch (ServiceError e) {
            throw e.getMessage().contains("has no node") ? RpcErrors.invalid("NodeId", e.getMessage()) : e;
        }
    }

    private Duration interval(Instant start, Instant end) {
        Duration range = Duration.between(start, end);
        if (range.compareTo(Duration.ofMinutes(10)) <= 0 && !start.isBefore(clock.now().minus(MetricsQuery.SECOND_HISTORY))) {
            return Duration.ofSeconds(5);
        }
        return range.toMinutes() <= MetricsQuery.MAX_POINTS ? Duration.ofMinutes(1) : Duration.ofMinutes(5);
    }

    /** {@code {"2026-11-25T10:00:00Z":{"UsedMemory":"1048576","memoryUsage":"6.67"},…}}: times with a value only. */
    private String encode(MetricsResult result, Map<String, String> keyOf) {
        Map<String, Map<String, String>> byTime = new LinkedHashMap<>();
        for (int i = 0; i < result.times().size(); i++) {
            Map<String, String> at = new LinkedHashMap<>();
            for (Map.Entry<String, String> k : keyOf.entrySet()) {
                String name = MetricKey.byName(k.getValue()).orElseThrow().serviceName();
                Double v = result.values().get(name).get(i);
                if (v != null) {
                    at.put(k.getKey(), format(v));
                }
            }
            if (!at.isEmpty()) {
                byTime.put(InstanceDescriptions.time(result.times().get(i)), at);
            }
        }
        try {
            return json.writeValueAsString(byTime);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whole numbers as they are, others with two decimals ("6.67"), as the service writes them. */
    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    /** {@code yyyy-MM-ddTHH:mm:ssZ}, as the service takes it (UTC); {@code yyyy-MM-ddTHH:mmZ} too. */
    static Instant time(RpcRequest r, String name) {
        String v = r.required(name);
        try {
            return Instant.parse(v.length() == 17 && v.endsWith("Z") ? v.substring(0, 16) + ":00Z" : v);
        } catch (DateTimeParseException e) {
            throw RpcErrors.invalid(name, "'" + v + "' is not a time in the format yyyy-MM-ddTHH:mm:ssZ (UTC).");
        }
    }
}
