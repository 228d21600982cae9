package dev.kvsim.ha;

import dev.kvsim.RedisServerProcess;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Without kvsim: a bare Redis replica promoted while it lacks acknowledged writes. The writes are
 * gone and the counter's INCR replies repeat, as kvsim's AvailablePriority switch shows them; and
 * {@link LostWrites} reads from the old master exactly which writes those were.
 */
class LostWritesTest {

    private static final String SECRET = "kvsim-internal-secret";

    @Test
    void aPromotedReplicaLacksTheWritesItHadNotReceivedAndTheirIncrRepliesRepeat() throws Exception {
        // the master syncs its replica at once, not after the default 5 s delay
        try (RedisServerProcess master = RedisServerProcess.start("--repl-diskless-sync-delay", "0");
             RedisServerProcess replica = RedisServerProcess.start();
             Jedis m = new Jedis("127.0.0.1", master.port()); Jedis r = new Jedis("127.0.0.1", replica.port())) {
            m.configSet("requirepass", SECRET);  // as kvsim's nodes: its own password
            m.auth(SECRET);
            r.configSet("masterauth", SECRET);
            r.replicaof("127.0.0.1", master.port());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!r.info("replication").contains("master_link_status:up") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            for (int k = 0; k < 10; k++) {
                m.incr("counter");
            }
            assertEquals(1L, m.waitReplicas(1, 1500));
            long replicated = Long.parseLong(field(r.info("replication"), "slave_repl_offset"));

            r.replicaof("127.0.0.1", 1);  // cut off: nothing listens on port 1
            m.set("tx:a", "1");
            var tx = m.multi();
            tx.set("tx:b", "1");
            tx.incr("counter");
            tx.exec();                     // one reply: counts once
            for (int k = 0; k < 5; k++) {
                m.incr("counter");         // acknowledged: 12 … 16
            }
            r.replicaofNoOne();
            long promoted = Long.parseLong(field(r.info("replication"), "master_repl_offset"));
            assertEquals(replicated, promoted, "the promoted replica kept what it had received");

            LostWrites.Lost lost = LostWrites.measure(master.port(), SECRET, promoted, Duration.ofSeconds(2));
            assertEquals(Long.parseLong(field(m.info("replication"), "master_repl_offset")), lost.masterOffset());
            assertEquals(lost.masterOffset() - promoted, lost.bytes());
            assertEquals(7L, lost.writes(), "SET, the transaction, five INCRs");

            assertEquals("10", r.get("counter"));
            assertEquals(11L, r.incr("counter"), "the reply the lost transaction's INCR gave, again");
            assertEquals(List.of(false, false), List.of(r.exists("tx:a"), r.exists("tx:b")));
        }
    }

    private static String field(String info, String name) {
        return info.lines().filter(l -> l.startsWith(name + ":")).findFirst().orElseThrow().substring(name.length() + 1).trim();
    }
}
