package com.example.profiles;

import java.util.concurrent.atomic.AtomicInteger;

/** The system of record the cache protects: slow, and counted so tests can see when it is asked. */
public class ProfileSource {

    private final AtomicInteger lookups = new AtomicInteger();

    public String load(String userId) {
        lookups.incrementAndGet();
        return "{\"id\":\"" + userId + "\",\"name\":\"User " + userId + "\"}";
    }

    public int lookups() {
        return lookups.get();
    }
}
