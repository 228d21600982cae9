package dev.kvsim.proxy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Set;

/** The service's command rules for every instance's proxy. */
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
}
