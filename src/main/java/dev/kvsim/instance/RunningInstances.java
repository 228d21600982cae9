package dev.kvsim.instance;

import dev.kvsim.engine.NodeClient;

import java.util.Map;
import java.util.function.Consumer;

/**
 * What the services that change an instance's settings (accounts, whitelists, parameters) ask of
 * its running parts. Implemented by the instance lifecycle, which builds those parts from the
 * settings; this keeps the settings below the lifecycle (no cycle between their packages).
 */
public interface RunningInstances {

    /** Runs commands on every running node of the instance, master first (ACL and CONFIG are per node). */
    void onEveryNode(String instanceId, Consumer<NodeClient> work);

    /**
     * CONFIG SET of engine settings on every running node.
     *
     * @throws NodeClient.NodeCommandException when a node refuses a value
     */
    void applyEngineConfig(String instanceId, Map<String, String> settings);

    /** The instance's proxy enforces what the store holds now (password, accounts, whitelist, parameters). */
    void refreshPolicy(String instanceId);
}
