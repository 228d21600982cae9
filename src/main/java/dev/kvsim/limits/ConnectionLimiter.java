package dev.kvsim.limits;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts connections against a cap (an instance's class, or the backend connections of one shard):
 * connection N+1 is refused until one leaves. Lock-free; the cap is given at each acquire, so that it
 * can change while connections are open.
 */
public final class ConnectionLimiter {

    private final AtomicInteger open = new AtomicInteger();

    public boolean tryAcquire(int max) {
        while (true) {
            int n = open.get();
            if (n >= max) {
                return false;
            }
            if (open.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    public void release() {
        open.decrementAndGet();
    }

    public int open() {
        return open.get();
    }
}
