package dev.kvsim.instance;

/** CDI event: an instance is gone, so that what the layers above keep of it (faults) goes too. */
public record InstanceDeleted(String instanceId) {
}
