package dev.kvsim.instance;

import dev.kvsim.engine.NodeProcess;
import dev.kvsim.proxy.InstanceProxy;

import java.util.List;
import java.util.Optional;

/** An instance's live parts: its endpoint and its node processes (master first). */
public final class RunningInstance {

    private final String instanceId;
    private final InstanceProxy proxy;
    private volatile List<NodeProcess> nodes = List.of();

    RunningInstance(String instanceId, InstanceProxy proxy) {
        this.instanceId = instanceId;
        this.proxy = proxy;
    }

    public String instanceId() {
        return instanceId;
    }

    public InstanceProxy proxy() {
        return proxy;
    }

    public List<NodeProcess> nodes() {
        return nodes;
    }

    void setNodes(List<NodeProcess> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    public Optional<NodeProcess> node(String nodeId) {
        return nodes.stream().filter(n -> n.nodeId().equals(nodeId)).findFirst();
    }

    public Optional<NodeProcess> master() {
        return nodes.isEmpty() ? Optional.empty() : Optional.of(nodes.get(0));
    }
}
