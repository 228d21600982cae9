package dev.kvsim.proxy;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Set;

/** The service's rules for every instance's proxy. */
@ConfigMapping(prefix = "kvsim.proxy")
public interface ProxyRules {

    /**
     * Commands reserved to the service, answered with
     * {@code ERR command <name> not support for normal user}. Entries are lower-case command names
     * or {@code command|subcommand}.
     */
    @WithDefault("replconf,sync,psync,slaveof,replicaof,debug,shutdown,save,bgsave,bgrewriteaof,module,failover,"
            + "config|rewrite,acl|setuser,acl|deluser,acl|load,acl|save")
    Set<String> reservedCommands();

    /**
     * Cluster instances: how many connections the proxy may hold to one shard, as the service caps
     * each shard's backend connections; a command that needs one more gets the engine's
     * {@code ERR max number of clients reached}.
     */
    @WithDefault("10000")
    int shardBackendConnections();

    /**
     * Cluster instances: whether the proxy speaks RESP3, the default of every instance's
     * {@code proxy_resp3_enable}. The parameter catalogue reads the key ({@code kvsim.proxy.resp3});
     * it is declared here so that it belongs to the proxy's configuration and is checked at start.
     */
    @WithDefault("true")
    boolean resp3();

    /**
     * How much of its replies one client may leave unsent before the proxy stops reading its commands
     * (until it takes them), so that a client that never reads costs kvsim about that much.
     */
    @WithDefault("1M")
    MemorySize clientOutputLimit();

    /**
     * File descriptors kept for the admin API, HA and node starts: client connections that would cut
     * into them are refused with the engine's {@code ERR max number of clients reached}.
     */
    @WithDefault("256")
    int descriptorReserve();
}
