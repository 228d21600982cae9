package dev.kvsim.cluster;

import dev.kvsim.RawClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.ScanIteration;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cluster-aware clients (JedisCluster, Lettuce's RedisClusterClient) pointed at the endpoint, one test per rule. */
@QuarkusTest
class ClusterClientsTest extends ClusterInstanceTest {

    private static final String KEYS_ARRAY = "ERR bad lua script for redis cluster, all the keys that the script uses "
            + "should be passed using the KEYS array";
    private static final String CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot";

    private RedisClusterClient lettuce;
    private StatefulRedisClusterConnection<String, String> connection;

    ClusterClientsTest() {
        super(3);
    }

    @BeforeAll
    void connectLettuce() {
        lettuce = RedisClusterClient.create("redis://127.0.0.1:" + port);
        connection = lettuce.connect();
    }

    @AfterAll
    void closeLettuce() {
        connection.close();
        lettuce.shutdown();
    }

    private JedisCluster jedisCluster() {
        return new JedisCluster(new HostAndPort("127.0.0.1", port));
    }

    @Test
    void luaRunsWithKeysFromKeysAndFailsWithTheServicesTextOtherwise() {
        try (JedisCluster cluster = jedisCluster()) {
            assertEquals(3L, cluster.eval("return redis.call('INCRBY', KEYS[1], ARGV[1])", 1, "lua:n", "3"));
            assertEquals(KEYS_ARRAY, assertThrows(JedisDataException.class,
                    () -> cluster.eval("return redis.call('GET', KEYS[1] .. ':other')", 1, "lua:n")).getMessage());
        }
        RedisAdvancedClusterCommands<String, String> redis = connection.sync();
        assertEquals(5L, (Long) redis.eval("return redis.call('INCRBY', KEYS[1], ARGV[1])", ScriptOutputType.INTEGER,
                new String[] {"lua:n"}, "2"));
        assertEquals(KEYS_ARRAY, assertThrows(RedisCommandExecutionException.class,
                () -> redis.eval("return redis.call('GET', 'lua:' .. 'other')", ScriptOutputType.VALUE, "lua:n")).getMessage());
    }

    @Test
    void pubSubReachesSubscribersWhateverTheChannel() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        CountDownLatch subscribed = new CountDownLatch(1);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int count) {
                subscribed.countDown();
            }

            @Override
            public void onMessage(String channel, String message) {
                received.add("jedis " + channel + " " + message);
            }
        };
        StatefulRedisClusterPubSubConnection<String, String> lettuceSub = lettuce.connectPubSub();
        lettuceSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String pattern, String channel, String message) {
                received.add("lettuce " + pattern + " " + channel + " " + message);
            }
        });
        try (JedisCluster cluster = jedisCluster()) {
            CompletableFuture<Void> subscription = CompletableFuture.runAsync(() -> cluster.subscribe(listener, "orders"));
            assertTrue(subscribed.await(10, TimeUnit.SECONDS));
            lettuceSub.sync().psubscribe("ord*");
            assertEquals(2L, connection.sync().publish("orders", "o-1"));
            Set<String> got = new HashSet<>();
            for (int n = 0; n < 2; n++) {
                String m = received.poll(10, TimeUnit.SECONDS);
                assertTrue(m != null, "got " + got);
                got.add(m);
            }
            assertEquals(Set.of("jedis orders o-1", "lettuce ord* orders o-1"), got);
            listener.unsubscribe();
            subscription.get(10, TimeUnit.SECONDS);
        } finally {
            lettuceSub.close();
        }
    }

    /** SUNSUBSCRIBE's ":0" counts shard channels only: the channel's messages keep coming. */
    @Test
    void aSubscriberThatDropsItsShardChannelStillGetsItsChannelsMessages() throws Exception {
        try (RawClient c = new RawClient(port); Jedis publisher = jedis()) {
            c.pipeline(new String[] {"SUBSCRIBE", "mix"}, new String[] {"SSUBSCRIBE", "mix:s"}, new String[] {"SUNSUBSCRIBE", "mix:s"});
            for (String[] confirmation : new String[][] {{"subscribe", "mix", ":1"}, {"ssubscribe", "mix:s", ":1"},
                    {"sunsubscribe", "mix:s", ":0"}}) {
                assertEquals("*3", c.line());
                assertEquals(confirmation[0], c.reply());
                assertEquals(confirmation[1], c.reply());
                assertEquals(confirmation[2], c.line());
            }
            assertEquals(1L, publisher.publish("mix", "hello"));
            assertEquals("*3", c.line());
            assertEquals("message", c.reply());
            assertEquals("mix", c.reply());
            assertEquals("hello", c.reply());
        }
    }

    @Test
    void scanIteratesOverEveryKeyOfEveryShard() {
        Set<String> all = new HashSet<>();
        try (JedisCluster cluster = jedisCluster()) {
            for (int n = 0; n < 150; n++) {
                cluster.set("sc:" + n, "x");
                all.add("sc:" + n);
            }
            ScanIteration scan = cluster.scanIteration(20, "sc:*");
            List<String> seen = new ArrayList<>();
            while (!scan.isIterationCompleted()) {
                seen.addAll(scan.nextBatchList());
            }
            assertEquals(all, new HashSet<>(seen));
            assertEquals(150, seen.size(), "no key twice");
        }
        List<String> seen = new ArrayList<>();
        ScanIterator.scan(connection.sync(), ScanArgs.Builder.limit(20).match("sc:*")).forEachRemaining(seen::add);
        assertEquals(all, new HashSet<>(seen));
        assertEquals(150, seen.size(), "no key twice");
    }

    @Test
    void aTransactionOnOneHashTagRuns() {
        // Lettuce runs a cluster transaction on the connection to the node that owns the hash tag's slot.
        String node = connection.getPartitions().getPartitionBySlot(SlotHash.getSlot("{cart:7}")).getNodeId();
        RedisCommands<String, String> tx = connection.getConnection(node).sync();
        assertEquals("OK", tx.multi());
        tx.set("{cart:7}:items", "3");
        tx.incrby("{cart:7}:total", 40);
        tx.incrby("{cart:7}:total", 2);
        TransactionResult result = tx.exec();
        assertFalse(result.wasDiscarded());
        assertEquals(List.of("OK", 40L, 42L), result.stream().toList());
        assertEquals("42", connection.sync().get("{cart:7}:total"));
    }

    @Test
    void aCrossSlotCommandTheProxyDoesNotSplitAnswersCrossslot() {
        String a = "cs:a";
        String b = "cs:b";
        assertFalse(HashSlots.slot(a) == HashSlots.slot(b));
        RedisAdvancedClusterCommands<String, String> redis = connection.sync();
        redis.set(a, "1");
        assertEquals(CROSSSLOT, assertThrows(RedisCommandExecutionException.class, () -> redis.rename(a, b)).getMessage());
        try (JedisCluster cluster = jedisCluster()) {
            assertEquals(CROSSSLOT, assertThrows(JedisDataException.class,
                    () -> cluster.sendCommand(a, Protocol.Command.SUNIONSTORE, b, a, "cs:c")).getMessage());
            assertEquals("1", cluster.get(a), "nothing moved");
        }
    }
}
