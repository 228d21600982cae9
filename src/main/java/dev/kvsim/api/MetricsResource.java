package dev.kvsim.api;

import dev.kvsim.core.ServiceError;
import dev.kvsim.metrics.MetricKey;
import dev.kvsim.metrics.MetricsQuery;
import dev.kvsim.metrics.MetricsResult;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Monitoring ({@code docs/monitoring.md}): the keys, and every instance's latest second. */
@Path("/api/v1/metrics")
@Produces(MediaType.APPLICATION_JSON)
public class MetricsResource {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})([smhd])");

    private final MetricsQuery metrics;

    public MetricsResource(MetricsQuery metrics) {
        this.metrics = metrics;
    }

    /** One key of the catalogue, and which series have it. */
    public record KeyView(String key, String unit, String description, boolean instance, boolean shard, boolean node) {
    }

    @GET
    @Path("keys")
    public List<KeyView> keys() {
        return Arrays.stream(MetricKey.values()).map(k -> new KeyView(k.serviceName(), k.unit(), k.description(),
                k.appliesTo(dev.kvsim.metrics.MetricScope.Level.INSTANCE), k.appliesTo(dev.kvsim.metrics.MetricScope.Level.SHARD),
                k.appliesTo(dev.kvsim.metrics.MetricScope.Level.NODE))).toList();
    }

    /** {@code ?keys=UsedQPS,avgRt}: every instance's latest second of those keys (all when absent). */
    @GET
    @Path("latest")
    public Map<String, MetricsQuery.Latest> latest(@QueryParam("keys") String keys) {
        return metrics.latest(list(keys));
    }

    static List<String> list(String csv) {
        return csv == null ? List.of() : Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ServiceError.invalid(name + " must be an ISO-8601 instant such as 2026-11-25T10:00:00Z; got '" + value + "'.");
        }
    }

    /** {@code 1s}, {@code 5m}, {@code 1h}, {@code 1d}, or ISO-8601 ({@code PT30S}). */
    static Duration interval(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        Matcher m = SHORT_DURATION.matcher(v);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            return Duration.parse(value.trim());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw ServiceError.invalid("interval must be a duration such as 1s, 5s, 1m, 1h or PT30S; got '" + value + "'.");
        }
    }

    static Integer shard(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ServiceError.invalid("shard must be an integer; got '" + value + "'.");
        }
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
