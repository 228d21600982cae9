package dev.kvsim.rkvstore.actions;

import dev.kvsim.ha.SwitchoverRequest;
import dev.kvsim.ha.SwitchoverService;
import dev.kvsim.lifecycle.InstanceService;
import dev.kvsim.instance.StoredInstance;
import dev.kvsim.instance.StoredNode;
import dev.kvsim.rkvstore.ActionTable;
import dev.kvsim.rkvstore.RpcActions;
import dev.kvsim.rkvstore.RpcErrors;
import dev.kvsim.rkvstore.RpcRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** High availability: SwitchInstanceHA, ModifyInstanceMaintainTime. */
@ApplicationScoped
public class HaActions implements RpcActions {

    private final SwitchoverService switchovers;
    private final InstanceService instances;

    public HaActions(SwitchoverService switchovers, InstanceService instances) {
        this.switchovers = switchovers;
        this.instances = instances;
    }

    @Override
    public void register(ActionTable table) {
        table.add("SwitchInstanceHA", this::switchover);
        table.add("ModifyInstanceMaintainTime", this::maintainTime);
    }

    /**
     * SwitchMode 0 now, 1 in the maintenance window; NodeId names a node of the shard to switch on a cluster
     * instance (kvsim's node IDs: {@code <id>-s<shard>-db-<n>}), shard 0 when absent.
     */
    private Object switchover(RpcRequest r) {
        String id = r.instanceId();
        Integer mode = r.integer("SwitchMode");
        String type = r.oneOf("SwitchType", SwitchoverRequest.AVAILABLE,
                List.of(SwitchoverRequest.AVAILABLE, SwitchoverRequest.RELIABLE));
        String nodeId = r.string("NodeId");
        Integer shard = null;
        if (nodeId != null) {
            StoredInstance i = instances.get(id);
            shard = i.nodes().stream().filter(n -> n.nodeId().equals(nodeId)).map(StoredNode::shard).findFirst()
                    .orElseThrow(() -> RpcErrors.invalid("NodeId", "the instance has no node " + nodeId + "; its nodes are "
                            + String.join(", ", i.nodes().stream().map(StoredNode::nodeId).toList()) + "."));
        }
        switchovers.request(id, new SwitchoverRequest(type, mode, shard, null));
        return null;
    }

    private Object maintainTime(RpcRequest r) {
        switchovers.setWindow(r.instanceId(), r.required("MaintainStartTime"), r.required("MaintainEndTime"));
        return null;
    }
}
