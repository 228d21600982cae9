package dev.kvsim.rkvstore.actions;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kvsim.catalog.Catalog;
import dev.kvsim.catalog.InstanceClass;
import dev.kvsim.catalog.Regions;
import dev.kvsim.catalog.Regions.Region;
import dev.kvsim.lifecycle.MajorVersions;
import dev.kvsim.rkvstore.ActionTable;
import dev.kvsim.rkvstore.RpcActions;
import dev.kvsim.rkvstore.RpcRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where instances can be created and of what: DescribeRegions, DescribeZones (kvsim.catalog.regions and zones)
 * and DescribeAvailableResource (the class catalogue, the same in every zone).
 */
@ApplicationScoped
public class RegionActions implements RpcActions {

    private final Regions regions;
    private final Catalog catalog;
    private final MajorVersions versions;

    public RegionActions(Regions regions, Catalog catalog, MajorVersions versions) {
        this.regions = regions;
        this.catalog = catalog;
        this.versions = versions;
    }

    @Override
    public void register(ActionTable table) {
        table.add("DescribeRegions", this::describeRegions);
        table.add("DescribeZones", this::describeZones);
        table.add("DescribeAvailableResource", this::availableResource);
    }

    public record ZoneIdList(List<String> zoneId) {
    }

    /** RegionEndpoint: where this API is, as the client reached it. */
    public record KvStoreRegion(String regionId, String localName, String regionEndpoint, String zoneIds,
                                ZoneIdList zoneIdList) {
    }

    public record RegionList(@JsonProperty("KVStoreRegion") List<KvStoreRegion> kvStoreRegion) {
    }

    public record RegionIds(RegionList regionIds) {
    }

    private RegionIds describeRegions(RpcRequest r) {
        return new RegionIds(new RegionList(regions.all().stream().map(g -> new KvStoreRegion(g.regionId(), g.localName(),
                r.endpoint(), String.join(",", g.zoneIds()), new ZoneIdList(g.zoneIds()))).toList()));
    }

    public record KvStoreZone(String zoneId, String zoneName, String regionId, Boolean disabled, Boolean isRds,
                              Boolean switchNetwork) {
    }

    public record ZoneList(@JsonProperty("KVStoreZone") List<KvStoreZone> kvStoreZone) {
    }

    public record Zones(ZoneList zones) {
    }

    /** The region's zones, or every region's when RegionId is absent. */
    private Zones describeZones(RpcRequest r) {
        String regionId = r.string("RegionId");
        List<Region> which = regionId == null ? regions.all() : List.of(regions.require(regionId));
        return new Zones(new ZoneList(which.stream().flatMap(g -> g.zoneIds().stream()
                .map(z -> new KvStoreZone(z, g.zoneName(z), g.regionId(), false, true, true))).toList()));
    }

    public record AvailableResource(String instanceClass, Long capacity, String instanceClassRemark) {
    }

    public record AvailableResources(List<AvailableResource> availableResource) {
    }

    public record NodeType(String supportedNodeType, AvailableResources availableResources) {
    }

    public record NodeTypes(List<NodeType> supportedNodeType) {
    }

    public record ShardNumber(String shardNumber, NodeTypes supportedNodeTypes) {
    }

    public record ShardNumbers(List<ShardNumber> supportedShardNumber) {
    }

    public record Architecture(String architecture, ShardNumbers supportedShardNumbers) {
    }

    public record Architectures(List<Architecture> supportedArchitectureType) {
    }

    public record EngineVersion(String version, Architectures supportedArchitectureTypes) {
    }

    public record EngineVersions(List<EngineVersion> supportedEngineVersion) {
    }

    public record SeriesType(String seriesType, EngineVersions supportedEngineVersions) {
    }

    public record SeriesTypes(List<SeriesType> supportedSeriesType) {
    }

    public record EditionType(String editionType, SeriesTypes supportedSeriesTypes) {
    }

    public record EditionTypes(List<EditionType> supportedEditionType) {
    }

    public record Engine(String engine, EditionTypes supportedEditionTypes) {
    }

    public record Engines(List<Engine> supportedEngine) {
    }

    public record AvailableZone(String regionId, String zoneId, String zoneName, Engines supportedEngines) {
    }

    public record AvailableZoneList(List<AvailableZone> availableZone) {
    }

    public record Available(AvailableZoneList availableZones) {
    }

    /**
     * Every class of the catalogue, by architecture, shard count and node type, in each zone of the region (or
     * the one ZoneId names), for each engine version kvsim can create. Memcache has none.
     */
    private Available availableResource(RpcRequest r) {
        Region region = regions.require(r.required("RegionId"));
        String zone = r.string("ZoneId");
        List<String> zones = zone == null ? region.zoneIds() : List.of(regions.requireZone(region, zone));
        boolean redis = InstanceDescriptions.ENGINE.equals(r.oneOf("Engine", InstanceDescriptions.ENGINE,
                List.of("Redis", "Memcache")));
        Engines engines = new Engines(redis ? List.of(new Engine(InstanceDescriptions.ENGINE,
                new EditionTypes(List.of(new EditionType("Community", new SeriesTypes(List.of(
                        new SeriesType("community", new EngineVersions(versions.offered().stream()
                                .map(v -> new EngineVersion(v, architectures())).toList())))))))))
                : List.of());
        return new Available(new AvailableZoneList(zones.stream()
                .map(z -> new AvailableZone(region.regionId(), z, region.zoneName(z), engines)).toList()));
    }

    /** The catalogue by architecture, then shard count, then node type (each in name order). */
    private Architectures architectures() {
        Map<String, Map<Integer, Map<String, List<InstanceClass>>>> tree = catalog.all().stream().collect(
                Collectors.groupingBy(InstanceClass::architecture, TreeMap::new,
                        Collectors.groupingBy(InstanceClass::shards, TreeMap::new,
                                Collectors.groupingBy(InstanceClass::nodeType, TreeMap::new, Collectors.toList()))));
        return new Architectures(tree.entrySet().stream()
                .map(a -> new Architecture(a.getKey(), new ShardNumbers(a.getValue().entrySet().stream()
                        .map(s -> new ShardNumber(Integer.toString(s.getKey()), nodeTypes(s.getValue()))).toList())))
                .toList());
    }

    private static NodeTypes nodeTypes(Map<String, List<InstanceClass>> byNodeType) {
        return new NodeTypes(byNodeType.entrySet().stream().map(n -> new NodeType(n.getKey(), new AvailableResources(
                n.getValue().stream().map(c -> new AvailableResource(c.name(), c.memoryMb(), c.description())).toList())))
                .toList());
    }
}
