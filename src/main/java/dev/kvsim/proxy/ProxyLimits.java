package dev.kvsim.proxy;

import dev.kvsim.limits.DescriptorBudget;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What bounds every instance's proxy alike: how much of its replies one client may leave unsent
 * before it is no longer read ({@code kvsim.proxy.client-output-limit}), and the file descriptors the
 * process may spend on client connections ({@code kvsim.proxy.descriptor-reserve}).
 */
@ApplicationScoped
public class ProxyLimits {

    private final int outputLimit;
    private final DescriptorBudget descriptors;

    public ProxyLimits(ProxyRules rules) {
        long limit = rules.clientOutputLimit().asLongValue();
        if (limit < 1024 || limit > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("kvsim.proxy.client-output-limit must be between 1K and 2G; got " + limit);
        }
        if (rules.descriptorReserve() < 0) {
            throw new IllegalArgumentException("kvsim.proxy.descriptor-reserve must not be negative; got "
                    + rules.descriptorReserve());
        }
        this.outputLimit = (int) limit;
        this.descriptors = new DescriptorBudget(rules.descriptorReserve());
    }

    /** Bytes of replies one client may leave unsent before its commands are no longer read. */
    public int outputLimit() {
        return outputLimit;
    }

    public DescriptorBudget descriptors() {
        return descriptors;
    }

    @PreDestroy
    void stop() {
        descriptors.close();
    }
}
