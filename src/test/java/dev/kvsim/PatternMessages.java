package dev.kvsim;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Jedis subscriber to some patterns, on its own thread: what it received, as
 * {@code "<channel> <message>"}. Opened once every pattern is confirmed; closing unsubscribes.
 */
public final class PatternMessages implements AutoCloseable {

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final JedisPubSub listener;
    private final CompletableFuture<Void> subscription;
    private final Jedis jedis;

    public PatternMessages(int port, String... patterns) throws InterruptedException {
        CountDownLatch subscribed = new CountDownLatch(patterns.length);
        listener = new JedisPubSub() {
            @Override
            public void onPSubscribe(String pattern, int count) {
                subscribed.countDown();
            }

            @Override
            public void onPMessage(String pattern, String channel, String message) {
                received.add(channel + " " + message);
            }
        };
        jedis = new Jedis("127.0.0.1", port);
        subscription = CompletableFuture.runAsync(() -> jedis.psubscribe(listener, patterns));
        if (!subscribed.await(10, TimeUnit.SECONDS)) {
            close();
            throw new AssertionError("the patterns were not confirmed within 10 s");
        }
    }

    /** The next message, or null after 10 s. */
    public String next() throws InterruptedException {
        return received.poll(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            if (listener.isSubscribed()) {
                listener.punsubscribe();
            }
            subscription.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the subscriber did not end", e);
        } finally {
            jedis.close();
        }
    }
}
