package dev.kvsim.catalog;

import dev.kvsim.core.ServiceError;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The regions and zones an instance can be placed in ({@code kvsim.catalog.regions}, {@code kvsim.catalog.zones}).
 * kvsim runs every instance on this machine whatever its zone: the placement is what the instance shows and
 * what lists filter on, as on the service.
 */
@ApplicationScoped
public class Regions {

    /** English names of the service's regions, for DescribeRegions; other regions show their ID. */
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("cn-hangzhou", "China (Hangzhou)"), Map.entry("cn-shanghai", "China (Shanghai)"),
            Map.entry("cn-qingdao", "China (Qingdao)"), Map.entry("cn-beijing", "China (Beijing)"),
            Map.entry("cn-zhangjiakou", "China (Zhangjiakou)"), Map.entry("cn-huhehaote", "China (Hohhot)"),
            Map.entry("cn-wulanchabu", "China (Ulanqab)"), Map.entry("cn-shenzhen", "China (Shenzhen)"),
            Map.entry("cn-heyuan", "China (Heyuan)"), Map.entry("cn-guangzhou", "China (Guangzhou)"),
            Map.entry("cn-chengdu", "China (Chengdu)"), Map.entry("cn-hongkong", "China (Hong Kong)"),
            Map.entry("ap-southeast-1", "Singapore"), Map.entry("ap-southeast-3", "Malaysia (Kuala Lumpur)"),
            Map.entry("ap-southeast-5", "Indonesia (Jakarta)"), Map.entry("ap-northeast-1", "Japan (Tokyo)"),
            Map.entry("ap-northeast-2", "South Korea (Seoul)"), Map.entry("us-west-1", "US (Silicon Valley)"),
            Map.entry("us-east-1", "US (Virginia)"), Map.entry("eu-central-1", "Germany (Frankfurt)"),
            Map.entry("eu-west-1", "UK (London)"), Map.entry("me-east-1", "UAE (Dubai)"));

    /** One region and its zones, in configuration order. */
    public record Region(String regionId, String localName, List<String> zoneIds) {

        public String defaultZone() {
            return zoneIds.get(0);
        }

        /** "Hangzhou Zone H" for cn-hangzhou-h when the region's name is known, else the zone's ID. */
        public String zoneName(String zoneId) {
            String suffix = zoneId.substring(regionId.length()).replaceFirst("^-", "");
            if (!NAMES.containsKey(regionId) || suffix.isEmpty()) {
                return zoneId;
            }
            String city = localName.replaceFirst("^.*\\((.*)\\)$", "$1");
            return city + " Zone " + suffix.toUpperCase(Locale.ROOT);
        }
    }

    private final List<Region> regions;

    public Regions(CatalogConfig config) {
        this.regions = build(config.regions(), config.zones());
    }

    /** @throws IllegalStateException for a zone outside every region or a region without zones */
    static List<Region> build(List<String> regionIds, List<String> zoneIds) {
        Map<String, List<String>> zones = new LinkedHashMap<>();
        regionIds.forEach(r -> {
            if (zones.putIfAbsent(r, new ArrayList<>()) != null) {
                throw new IllegalStateException("kvsim.catalog.regions lists " + r + " twice");
            }
        });
        for (String zone : zoneIds) {
            // the longest region ID the zone's ID starts with: cn-hangzhou-finance-a is not in cn-hangzhou
            String region = zones.keySet().stream().filter(zone::startsWith).max(Comparator.comparingInt(String::length))
                    .orElseThrow(() -> new IllegalStateException("kvsim.catalog.zones: zone " + zone
                            + " is in none of the regions " + regionIds + " (a zone's ID starts with its region's)"));
            if (zones.get(region).contains(zone) || zone.equals(region)) {
                throw new IllegalStateException("kvsim.catalog.zones lists " + zone + " twice or as a region");
            }
            zones.get(region).add(zone);
        }
        List<Region> out = new ArrayList<>();
        zones.forEach((r, z) -> {
            if (z.isEmpty()) {
                throw new IllegalStateException("kvsim.catalog.regions: region " + r + " has no zone in kvsim.catalog.zones");
            }
            out.add(new Region(r, NAMES.getOrDefault(r, r), List.copyOf(z)));
        });
        return List.copyOf(out);
    }

    public List<Region> all() {
        return regions;
    }

    public Optional<Region> find(String regionId) {
        return regions.stream().filter(r -> r.regionId().equals(regionId)).findFirst();
    }

    /** Where an instance goes when no region is named: the first listed. */
    public Region defaultRegion() {
        return regions.get(0);
    }

    /** @throws ServiceError 404 InvalidRegionId.NotFound */
    public Region require(String regionId) {
        return find(regionId).orElseThrow(() -> new ServiceError(404, "InvalidRegionId.NotFound",
                "The specified RegionId does not exist: " + regionId + "."));
    }

    /**
     * The zone of the region, its default one when {@code zoneId} is null.
     *
     * @throws ServiceError 404 InvalidZoneId.NotFound when the region has no such zone
     */
    public String requireZone(Region region, String zoneId) {
        if (zoneId == null) {
            return region.defaultZone();
        }
        if (!region.zoneIds().contains(zoneId)) {
            throw new ServiceError(404, "InvalidZoneId.NotFound", "The specified zone " + zoneId
                    + " does not exist in region " + region.regionId() + "; its zones are "
                    + String.join(", ", region.zoneIds()) + ".");
        }
        return zoneId;
    }
}
