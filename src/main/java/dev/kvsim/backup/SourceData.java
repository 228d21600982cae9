package dev.kvsim.backup;

import java.nio.file.Path;
import java.util.List;

/**
 * The data a restore or a clone lays: what the source instance was (its class, shards and slot map tell how its
 * keys were spread) and each of its shards' data.
 *
 * @param slotMap the source's slot map; null for a standard instance
 */
record SourceData(String instanceId, String instanceClass, int shardCount, String slotMap, List<Shard> shards) {

    /** One shard's data: an RDB file, or a node directory whose multi-part AOF holds it. */
    record Shard(int shard, Path rdb, Path aofNodeDir) {
    }
}
