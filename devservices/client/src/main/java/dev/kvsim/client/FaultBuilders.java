package dev.kvsim.client;

import java.time.Duration;

/**
 * One fluent builder per fault type of kvsim (docs/faults.md), for one instance:
 * {@code admin.faults(id).latency(Duration.ofMillis(200)).jitter(Duration.ofMillis(20)).master().start()}.
 */
public final class FaultBuilders {

    private final AdminHttp http;
    private final String instanceId;

    FaultBuilders(AdminHttp http, String instanceId) {
        this.http = http;
        this.instanceId = instanceId;
    }

    /** Network: every chunk of data is held this long. */
    public Latency latency(Duration latency) {
        return new Latency(http, instanceId).attribute("latencyMs", latency.toMillis());
    }

    /** Network: data flows at most at this rate. */
    public Simple bandwidth(long rateKBps) {
        return new Simple(http, instanceId, "bandwidth").attribute("rateKBps", rateKBps);
    }

    /** Network: data stops; the connection is closed after {@code after} (zero: never). */
    public Simple timeout(Duration after) {
        return new Simple(http, instanceId, "timeout").attribute("timeoutMs", after.toMillis());
    }

    /** Network: connections are reset (TCP RST) after {@code after}. */
    public Simple resetPeer(Duration after) {
        return new Simple(http, instanceId, "reset_peer").attribute("timeoutMs", after.toMillis());
    }

    /** Network: closing a connection is delayed this long. */
    public Simple slowClose(Duration delay) {
        return new Simple(http, instanceId, "slow_close").attribute("delayMs", delay.toMillis());
    }

    /** Network: data is cut into pieces of about {@code averageSize} bytes, {@code delayUs} apart. */
    public Simple slicer(int averageSize, int sizeVariation, long delayUs) {
        return new Simple(http, instanceId, "slicer").attribute("averageSize", averageSize)
                .attribute("sizeVariation", sizeVariation).attribute("delayUs", delayUs);
    }

    /** Network: a connection is closed once this many bytes have passed. */
    public Simple limitData(long bytes) {
        return new Simple(http, instanceId, "limit_data").attribute("bytes", bytes);
    }

    /** Network: new connections are refused. */
    public Simple refuseConnections() {
        return new Simple(http, instanceId, "refuse_connections");
    }

    /** Command: matching commands answer this error line, e.g. {@code "READONLY You can't write against a read only replica."}. */
    public Simple errorReply(String message) {
        return new Simple(http, instanceId, "error_reply").attribute("message", message);
    }

    /** Command: matching commands answer the engine's own text of this error. */
    public Simple errorReply(EngineError error) {
        return new Simple(http, instanceId, "error_reply").attribute("error", error.name());
    }

    /** Command: matching commands are answered this much later (reply order kept). */
    public Simple delay(Duration delay) {
        return new Simple(http, instanceId, "delay").attribute("delayMs", delay.toMillis());
    }

    /** Node: the target node's process is killed (HA fails over as the service would). */
    public Simple killNode() {
        return new Simple(http, instanceId, "kill_node");
    }

    /** Node: the target node's process is paused (SIGSTOP) until the fault ends. */
    public Simple pauseNode() {
        return new Simple(http, instanceId, "pause_node");
    }

    /** Node: the replica stops receiving the master's writes until the fault ends. */
    public Simple breakReplication() {
        return new Simple(http, instanceId, "break_replication");
    }

    /** Node: both nodes of a shard are killed. */
    public Simple killShard(int shard) {
        return new Simple(http, instanceId, "kill_shard").shard(shard);
    }

    /** The engine errors an {@code error_reply} fault can name. */
    public enum EngineError { READONLY, OOM, LOADING, BUSY, CLUSTERDOWN, TRYAGAIN, MASTERDOWN }

    /** A fault type whose only settings are the common ones. */
    public static final class Simple extends FaultBuilder<Simple> {
        Simple(AdminHttp http, String instanceId, String type) {
            super(http, instanceId, type);
        }
    }

    /** {@code latency}, with optional jitter. */
    public static final class Latency extends FaultBuilder<Latency> {
        Latency(AdminHttp http, String instanceId) {
            super(http, instanceId, "latency");
        }

        /** Each delay varies by up to this much either way. */
        public Latency jitter(Duration jitter) {
            return attribute("jitterMs", jitter.toMillis());
        }
    }
}
