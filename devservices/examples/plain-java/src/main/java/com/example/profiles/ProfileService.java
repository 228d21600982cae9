package com.example.profiles;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;

/**
 * Profiles read through a Redis cache. Redis is an optimisation here, never a dependency: when it is slow
 * beyond {@code redisTimeout} or down, the profile comes from the source and the call stays fast.
 */
public class ProfileService implements AutoCloseable {

    private static final long TTL_SECONDS = 300;

    private final JedisPooled redis;
    private final ProfileSource source;

    public ProfileService(String host, int port, String password, Duration redisTimeout, ProfileSource source) {
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder().password(password)
                .socketTimeoutMillis((int) redisTimeout.toMillis()).connectionTimeoutMillis((int) redisTimeout.toMillis())
                .build();
        this.redis = new JedisPooled(new HostAndPort(host, port), config);
        this.source = source;
    }

    public String profile(String userId) {
        String key = "profile:" + userId;
        try {
            String cached = redis.get(key);
            if (cached != null) {
                return cached;
            }
        } catch (JedisException slowOrDown) {
            return source.load(userId);
        }
        String loaded = source.load(userId);
        try {
            redis.setex(key, TTL_SECONDS, loaded);
        } catch (JedisException slowOrDown) {
            // the next call tries the cache again
        }
        return loaded;
    }

    @Override
    public void close() {
        redis.close();
    }
}
