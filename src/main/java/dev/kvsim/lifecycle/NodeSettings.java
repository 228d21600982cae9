package dev.kvsim.lifecycle;

import dev.kvsim.instance.StoredInstance;

import java.util.Map;

/**
 * Engine settings a service adds to an instance's nodes beside its parameters, written into every node's
 * configuration at its start (the backup log's AOF timestamps). A change to them reaches running nodes through
 * {@link dev.kvsim.instance.RunningInstances#applyEngineConfig}.
 */
public interface NodeSettings {

    Map<String, String> engineConfig(StoredInstance i);
}
