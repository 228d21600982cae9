package dev.kvsim.backup;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The backup log's chains and generations in the store; hands out detached values. */
@ApplicationScoped
public class BackupLogStore {

    /**
     * The AOF of one node incarnation of a shard, as archived: it covers from its first generation's base up to
     * {@code shippedMs} (system time). A node replaced (its directory wiped) ends its chain.
     */
    public record Chain(String chainId, String instanceId, int shard, String nodeId, Instant startedAt, long shippedMs,
                        boolean ended, String instanceClass, int shardCount, String slotMap) {
    }

    /**
     * A base the engine wrote into the chain at kvsim's request: the state at {@code basedMs} (system time, no
     * later than that), from which the chain's incremental files with a sequence from {@code firstIncrSeq} on
     * replay every later write.
     */
    public record Generation(long id, String chainId, String baseFile, long firstIncrSeq, Instant basedAt, long basedMs) {
    }

    @Transactional
    public Chain newChain(String instanceId, int shard, String nodeId, Instant now, long nowMs, String instanceClass,
                          int shardCount, String slotMap) {
        LogChainEntity e = new LogChainEntity();
        e.chainId = UUID.randomUUID().toString();
        e.instanceId = instanceId;
        e.shard = shard;
        e.nodeId = nodeId;
        e.startedAt = now;
        e.shippedMs = nowMs;
        e.instanceClass = instanceClass;
        e.shardCount = shardCount;
        e.slotMap = slotMap;
        e.persist();
        return toChain(e);
    }

    @Transactional
    public Generation addGeneration(String chainId, String baseFile, long firstIncrSeq, Instant at, long atMs) {
        LogGenerationEntity e = new LogGenerationEntity();
        e.chainId = chainId;
        e.baseFile = baseFile;
        e.firstIncrSeq = firstIncrSeq;
        e.basedAt = at;
        e.basedMs = atMs;
        e.persist();
        return toGeneration(e);
    }

    /** The shard's chain still being written, if any. */
    @Transactional
    public Optional<Chain> current(String instanceId, int shard) {
        return LogChainEntity.<LogChainEntity>find("instanceId = ?1 and shard = ?2 and ended = false order by startedAt desc",
                instanceId, shard).firstResultOptional().map(BackupLogStore::toChain);
    }

    /** The instance's chains, oldest first. */
    @Transactional
    public List<Chain> chains(String instanceId) {
        return LogChainEntity.<LogChainEntity>list("instanceId = ?1 order by startedAt", instanceId).stream()
                .map(BackupLogStore::toChain).toList();
    }

    @Transactional
    public List<String> instances() {
        return LogChainEntity.<LogChainEntity>listAll().stream().map(e -> e.instanceId).distinct().toList();
    }

    /** The chain's generations, oldest first. */
    @Transactional
    public List<Generation> generations(String chainId) {
        return LogGenerationEntity.<LogGenerationEntity>list("chainId = ?1 order by basedMs", chainId).stream()
                .map(BackupLogStore::toGeneration).toList();
    }

    @Transactional
    public void shipped(String chainId, long ms) {
        LogChainEntity.update("shippedMs = ?1 where chainId = ?2", ms, chainId);
    }

    @Transactional
    public void end(String chainId) {
        LogChainEntity.update("ended = true where chainId = ?1", chainId);
    }

    @Transactional
    public void deleteGeneration(long id) {
        LogGenerationEntity.deleteById(id);
    }

    @Transactional
    public void deleteChain(String chainId) {
        LogGenerationEntity.delete("chainId", chainId);
        LogChainEntity.deleteById(chainId);
    }

    private static Chain toChain(LogChainEntity e) {
        return new Chain(e.chainId, e.instanceId, e.shard, e.nodeId, e.startedAt, e.shippedMs, e.ended, e.instanceClass,
                e.shardCount, e.slotMap);
    }

    private static Generation toGeneration(LogGenerationEntity e) {
        return new Generation(e.id, e.chainId, e.baseFile, e.firstIncrSeq, e.basedAt, e.basedMs);
    }
}
