package dev.kvsim.faults.model;

/** What a fault may act on in one instance: its proxy's fault hooks and its nodes. */
public interface FaultScope {

    ProxyFaults proxy();

    NodeControl nodes();
}
