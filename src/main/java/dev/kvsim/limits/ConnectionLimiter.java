package dev.kvsim.limits;

import java.util.concurrent.atomic.AtomicInteger;

/** The class's connection cap for one instance: connection N+1 is refused until one leaves. */
public final class ConnectionLimiter {

    private final AtomicInteger open = new AtomicInteger();
    private volatile int max;

    public ConnectionLimiter(int max) {
        this.max = max;
    }

    public boolean tryAcquire() {
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

    public int max() {
        return max;
    }

    public void setMax(int max) {
        this.max = max;
    }
}
