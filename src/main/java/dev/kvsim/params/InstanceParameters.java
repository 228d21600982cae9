package dev.kvsim.params;

import dev.kvsim.limits.TrafficShaper;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The effective parameter values of one instance: the defaults with the instance's changes on top. */
public record InstanceParameters(Map<String, String> values) {

    public static InstanceParameters of(Map<String, String> changed) {
        Map<String, String> v = new LinkedHashMap<>();
        for (ParameterDefinition d : ParameterCatalog.all()) {
            v.put(d.name(), changed.getOrDefault(d.name(), d.defaultValue()));
        }
        return new InstanceParameters(Map.copyOf(v));
    }

    public static InstanceParameters defaults() {
        return of(Map.of());
    }

    public String get(String name) {
        return values.get(name);
    }

    /** Engine settings, in catalog order, for a node's config file. */
    public Map<String, String> engineConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        for (ParameterDefinition d : ParameterCatalog.all()) {
            if (d.engine()) {
                c.put(d.name(), values.get(d.name()));
            }
        }
        return c;
    }

    public TrafficShaper.BandwidthMode bandwidthMode() {
        return "per-direction".equals(values.get(ParameterCatalog.BANDWIDTH_MODE))
                ? TrafficShaper.BandwidthMode.PER_DIRECTION : TrafficShaper.BandwidthMode.COMBINED;
    }

    public boolean scriptCheck() {
        return !"0".equals(values.get(ParameterCatalog.SCRIPT_CHECK));
    }

    /** {@code proxy_resp3_enable}: the cluster proxy speaks RESP3. */
    public boolean proxyResp3() {
        return "1".equals(values.get(ParameterCatalog.PROXY_RESP3));
    }

    public boolean qpsLimited() {
        return "yes".equals(values.get(ParameterCatalog.QPS_LIMIT));
    }

    /** {@code #no_loose_disabled-commands} as a set of lower-case names. */
    public Set<String> disabledCommands() {
        String v = values.get(ParameterCatalog.DISABLED_COMMANDS);
        return v == null || v.isEmpty() ? Set.of()
                : Arrays.stream(v.split(",")).collect(Collectors.toUnmodifiableSet());
    }
}
