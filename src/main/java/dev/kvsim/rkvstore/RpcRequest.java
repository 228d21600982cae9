package dev.kvsim.rkvstore;

import dev.kvsim.core.ServiceError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One RPC call's API parameters, as an action reads them: the query and the form body merged (the body wins),
 * the common parameters (signature, format, version, …) stripped, and an empty value counted as absent. Each
 * typed read refuses a bad value with 400 naming the parameter.
 */
public final class RpcRequest {

    /** Parameters of the call itself rather than of the action. */
    static final Set<String> COMMON = Set.of("Action", "Version", "Format", "Timestamp", "SignatureNonce",
            "SignatureMethod", "SignatureVersion", "SignatureType", "AccessKeyId", "Signature", "SecurityToken",
            "AcceptLanguage", "SourceIp", "SecureTransport");

    private static final Pattern INDEXED = Pattern.compile("(\\d+)(?:\\.(.+))?");

    private final String action;
    private final String endpoint;
    private final Map<String, String> params;

    /**
     * @param endpoint the host (and port) the client addressed, as its Host header gave it
     * @param merged   the query's and the body's parameters, the body's winning
     */
    public RpcRequest(String action, String endpoint, Map<String, String> merged) {
        this.action = action;
        this.endpoint = endpoint;
        Map<String, String> p = new LinkedHashMap<>();
        merged.forEach((k, v) -> {
            if (!COMMON.contains(k) && v != null && !v.isEmpty()) {
                p.put(k, v);
            }
        });
        this.params = p;
    }

    public String action() {
        return action;
    }

    /** The host (and port) the client addressed: where the API is, as the client knows it. */
    public String endpoint() {
        return endpoint;
    }

    public String string(String name) {
        return params.get(name);
    }

    public String string(String name, String fallback) {
        return params.getOrDefault(name, fallback);
    }

    /** @throws ServiceError 400 MissingParameter */
    public String required(String name) {
        String v = params.get(name);
        if (v == null) {
            throw RpcErrors.missing(name);
        }
        return v;
    }

    /** {@code InstanceId}, required by most actions. */
    public String instanceId() {
        return required("InstanceId");
    }

    public Integer integer(String name) {
        Long v = longValue(name);
        if (v != null && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
            throw RpcErrors.invalid(name, "'" + v + "' is out of range.");
        }
        return v == null ? null : v.intValue();
    }

    /** An integer within {@code [min, max]}, or the fallback when absent. */
    public int integer(String name, int fallback, int min, int max) {
        Integer v = integer(name);
        if (v == null) {
            return fallback;
        }
        if (v < min || v > max) {
            throw RpcErrors.invalid(name, "it must be between " + min + " and " + max + "; got " + v + ".");
        }
        return v;
    }

    public Long longValue(String name) {
        String v = params.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw RpcErrors.invalid(name, "'" + v + "' is not an integer.");
        }
    }

    /**
     * A UTC time as the service writes them, {@code yyyy-MM-ddTHH:mm:ssZ} or {@code yyyy-MM-ddTHH:mmZ}; null when
     * absent.
     */
    public java.time.Instant instant(String name) {
        String v = params.get(name);
        if (v == null) {
            return null;
        }
        String text = v.trim().matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}Z") ? v.trim().replace("Z", ":00Z") : v.trim();
        try {
            return java.time.Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw RpcErrors.invalid(name, "'" + v + "' is not a UTC time such as 2026-12-07T10:15:30Z.");
        }
    }

    /** {@code true} or {@code false} (any case); null when absent. */
    public Boolean bool(String name) {
        String v = params.get(name);
        if (v == null) {
            return null;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw RpcErrors.invalid(name, "'" + v + "' is not true or false.");
        };
    }

    /** One of the allowed values (exact case), or the fallback when absent. */
    public String oneOf(String name, String fallback, List<String> allowed) {
        String v = params.get(name);
        if (v == null) {
            return fallback;
        }
        if (!allowed.contains(v)) {
            throw RpcErrors.invalid(name, "'" + v + "' is not one of " + String.join(", ", allowed) + ".");
        }
        return v;
    }

    /** A flattened 1-based list, {@code ResourceId.1}, {@code ResourceId.2}, … in index order. */
    public List<String> list(String name) {
        List<String> out = new ArrayList<>();
        indexed(name).forEach((index, fields) -> {
            String v = fields.get("");
            if (v != null) {
                out.add(v);
            }
        });
        return out;
    }

    /** A comma-separated list ({@code InstanceIds=r-a,r-b}), blanks dropped; empty when absent. */
    public List<String> commaList(String name) {
        String v = params.get(name);
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    /**
     * Tags flattened as {@code Tag.N.Key} and {@code Tag.N.Value}, in index order; a tag without a value has
     * the value "".
     *
     * @throws ServiceError 400 when a tag has a value but no key
     */
    public Map<String, String> tags(String name) {
        Map<String, String> out = new LinkedHashMap<>();
        indexed(name).forEach((index, fields) -> {
            String key = fields.get("Key");
            if (key == null) {
                if (fields.containsKey("Value")) {
                    throw RpcErrors.missing(name + "." + index + ".Key");
                }
                return;
            }
            out.put(key, fields.getOrDefault("Value", ""));
        });
        return out;
    }

    /** Every {@code name.N[.Field]} parameter by N, its fields by name ("" for {@code name.N} itself). */
    private Map<Integer, Map<String, String>> indexed(String name) {
        Map<Integer, Map<String, String>> byIndex = new TreeMap<>();
        String prefix = name + ".";
        params.forEach((k, v) -> {
            if (!k.startsWith(prefix)) {
                return;
            }
            Matcher m = INDEXED.matcher(k.substring(prefix.length()));
            if (!m.matches()) {
                return;
            }
            int index;
            try {
                index = Integer.parseInt(m.group(1));
            } catch (NumberFormatException e) {
                throw RpcErrors.invalid(k, "the index is out of range.");
            }
            byIndex.computeIfAbsent(index, i -> new LinkedHashMap<>()).put(m.group(2) == null ? "" : m.group(2), v);
        });
        return byIndex;
    }
}
