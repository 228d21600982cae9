package dev.kvsim.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The minute-level history in the database, so that a restart of kvsim keeps it: one row per series and minute.
 * A minute stored twice (kvsim restarted within it) is merged, weighted by its samples.
 */
@ApplicationScoped
public class MinuteStore {

    private static final TypeReference<LinkedHashMap<String, Double>> MAP = new TypeReference<>() {
    };
    /** Six significant digits: more than a chart shows, and a short row. */
    private static final MathContext DIGITS = new MathContext(6);

    private final ObjectMapper json;

    public MinuteStore(ObjectMapper json) {
        this.json = json;
    }

    @Transactional
    public void save(List<MinuteRow> rows) {
        for (MinuteRow row : rows) {
            MetricMinuteEntity e = MetricMinuteEntity.<MetricMinuteEntity>find("instanceId = ?1 and scope = ?2 and minute = ?3",
                    row.instanceId(), row.scope().storedName(), row.minute()).firstResult();
            MinuteRow merged = row;
            if (e == null) {
                e = new MetricMinuteEntity();
                e.instanceId = row.instanceId();
                e.scope = row.scope().storedName();
                e.minute = row.minute();
            } else {
                merged = merge(toRow(e, row.scope()), row);
            }
            e.nodeRole = merged.role();
            e.samples = merged.samples();
            e.valueData = encode(merged.values());
            if (!e.isPersistent()) {
                e.persist();
            }
        }
    }

    /** The series' stored minutes in [fromMinute, toMinute), oldest first. */
    @Transactional
    public List<MinuteRow> range(String instanceId, MetricScope scope, long fromMinute, long toMinute) {
        return MetricMinuteEntity.<MetricMinuteEntity>list(
                        "instanceId = ?1 and scope = ?2 and minute >= ?3 and minute < ?4 order by minute",
                        instanceId, scope.storedName(), fromMinute, toMinute).stream()
                .map(e -> toRow(e, scope)).toList();
    }

    @Transactional
    public long count(String instanceId) {
        return MetricMinuteEntity.count("instanceId", instanceId);
    }

    @Transactional
    public void deleteOf(String instanceId) {
        MetricMinuteEntity.delete("instanceId", instanceId);
    }

    /** Drops every minute before {@code minute} (the retention). @return how many */
    @Transactional
    public long deleteBefore(long minute) {
        return MetricMinuteEntity.delete("minute < ?1", minute);
    }

    private static MinuteRow merge(MinuteRow a, MinuteRow b) {
        int samples = a.samples() + b.samples();
        Map<MetricKey, Double> values = new EnumMap<>(MetricKey.class);
        values.putAll(a.values());
        b.values().forEach((k, v) -> values.merge(k, v, (x, y) -> k.aggregation() == MetricKey.Aggregation.MAX
                ? Math.max(x, y) : (x * a.samples() + y * b.samples()) / samples));
        return new MinuteRow(a.instanceId(), a.scope(), a.minute(), b.role() != null ? b.role() : a.role(), samples, values);
    }

    private String encode(Map<MetricKey, Double> values) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (Double.isFinite(v)) {
                out.put(k.serviceName(), new BigDecimal(v).round(DIGITS).stripTrailingZeros());
            }
        });
        try {
            return json.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("minute values are not JSON: " + e.getMessage(), e);
        }
    }

    private MinuteRow toRow(MetricMinuteEntity e, MetricScope scope) {
        Map<MetricKey, Double> values = new EnumMap<>(MetricKey.class);
        try {
            json.readValue(e.valueData, MAP).forEach((name, v) -> MetricKey.byName(name).ifPresent(k -> values.put(k, v)));
        } catch (JsonProcessingException ex) {
            // a damaged row reads as a minute without values rather than failing the whole query
        }
        return new MinuteRow(e.instanceId, scope, e.minute, e.nodeRole, e.samples, values);
    }
}
