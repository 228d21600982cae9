package dev.kvsim.proxy;

import dev.kvsim.access.Authenticator;
import dev.kvsim.access.IpWhitelist;
import dev.kvsim.commands.VersionRules;
import dev.kvsim.faults.model.FaultSet;
import dev.kvsim.limits.TrafficShaper;

/**
 * What one instance's proxy enforces: who may connect (whitelist) and log in (password, accounts),
 * how many connections (the class's cap, and each shard's backend cap on a cluster), how fast
 * (bandwidth and QPS), which commands ({@link CommandRules}), whether cluster scripts must name
 * their keys ({@code script_check_enable}), whether the cluster proxy speaks RESP3
 * ({@code proxy_resp3_enable}), what the instance's engine major version lacks ({@link VersionRules}: the
 * engine kvsim runs may be newer), and the faults acting now.
 *
 * <p>An immutable value, built by the control plane in one place and swapped whole through
 * {@link InstanceProxy#updatePolicy}, so that a session reads one consistent policy at a time.
 * The shaper's token buckets count traffic; a new policy keeps the old shaper while its caps stay.
 */
public record InstancePolicy(Authenticator authenticator, IpWhitelist whitelist, int maxConnections,
                             int shardBackendConnections, TrafficShaper shaper, CommandRules commands,
                             boolean scriptCheck, boolean resp3, VersionRules version, FaultSet faults) {

    /**
     * This policy in place of {@code previous}: the faults acting stay, and so does the shaper while
     * the caps are the same (its buckets hold the traffic already counted).
     */
    public InstancePolicy carryOver(InstancePolicy previous) {
        TrafficShaper kept = shaper.sameCapsAs(previous.shaper()) ? previous.shaper() : shaper;
        return new InstancePolicy(authenticator, whitelist, maxConnections, shardBackendConnections, kept, commands,
                scriptCheck, resp3, version, previous.faults());
    }

    public InstancePolicy withFaults(FaultSet faults) {
        return new InstancePolicy(authenticator, whitelist, maxConnections, shardBackendConnections, shaper, commands,
                scriptCheck, resp3, version, faults);
    }

    /** The highest protocol the cluster proxy speaks itself: 3 with {@code proxy_resp3_enable}, else 2. */
    public int clusterProtocol() {
        return resp3 ? 3 : 2;
    }
}
