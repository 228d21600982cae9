package dev.kvsim.rkvstore.actions;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kvsim.commands.MajorVersion;
import dev.kvsim.instance.StoredInstance;
import dev.kvsim.lifecycle.InstanceService;
import dev.kvsim.lifecycle.MajorVersionUpgrades;
import dev.kvsim.lifecycle.MajorVersions;
import dev.kvsim.rkvstore.ActionTable;
import dev.kvsim.rkvstore.RpcActions;
import dev.kvsim.rkvstore.RpcRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Locale;

/** Engine versions: DescribeEngineVersion, ModifyInstanceMajorVersion. */
@ApplicationScoped
public class VersionActions implements RpcActions {

    private final InstanceService instances;
    private final MajorVersions versions;
    private final MajorVersionUpgrades upgrades;

    public VersionActions(InstanceService instances, MajorVersions versions, MajorVersionUpgrades upgrades) {
        this.instances = instances;
        this.versions = versions;
        this.upgrades = upgrades;
    }

    @Override
    public void register(ActionTable table) {
        table.add("DescribeEngineVersion", this::describe);
        table.add("ModifyInstanceMajorVersion", this::upgrade);
    }

    public record EngineVersion(String engine, String majorVersion, String minorVersion, Boolean isLatestVersion,
                                Boolean enableUpgradeMajorVersion, Boolean enableUpgradeMinorVersion,
                                String isAutoUpgradeOpen, @JsonProperty("IsSSLEnable") String isSslEnable,
                                @JsonProperty("IsNewSSLMode") String isNewSslMode, String isRedisCompatibleVersion) {
    }

    /**
     * The instance's major version, its minor version as the release it behaves as ("5.0.14", the last of its
     * line: the latest), and whether a newer major version is there to upgrade to on the engine kvsim runs.
     */
    private EngineVersion describe(RpcRequest r) {
        StoredInstance i = instances.get(r.instanceId());
        MajorVersion v = versions.of(i);
        boolean newer = versions.offered().stream().anyMatch(o -> MajorVersion.of(o).orElseThrow().compareTo(v) > 0);
        return new EngineVersion(InstanceDescriptions.ENGINE.toLowerCase(Locale.ROOT), v.label(), v.release(), true,
                newer, false, "0", "0", "0", "1");
    }

    /** MajorVersion, EffectiveTime Immediately (the default) or MaintainTime; answers at once, as the service does. */
    private Object upgrade(RpcRequest r) {
        String id = r.instanceId();
        String majorVersion = r.required("MajorVersion");
        String when = r.oneOf("EffectiveTime", MajorVersionUpgrades.IMMEDIATELY,
                List.of(MajorVersionUpgrades.IMMEDIATELY, MajorVersionUpgrades.MAINTAIN_TIME));
        upgrades.request(id, majorVersion, when, false);
        return null;
    }
}
