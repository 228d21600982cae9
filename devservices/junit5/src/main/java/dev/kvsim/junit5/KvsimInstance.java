package dev.kvsim.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An instance the test needs, injected as a {@link dev.kvsim.client.Endpoint} (host, port, password,
 * instance id). On a static field: created before the class's first test and deleted after its last. On an
 * instance field: the same, one per class. On a test method's parameter: created for that test and deleted
 * after it.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface KvsimInstance {

    /** The class of the tier catalog (GET /api/v1/classes); default a 1 GB dual-replica standard instance. */
    String instanceClass() default "redis.master.small.default";

    /** The instance's password; empty (the default): password-free. */
    String password() default "";

    /** Override: memory in MB (0: the class's). */
    long memoryMb() default 0;

    /** Override: connection cap (0: the class's). */
    int maxConnections() default 0;

    /** Override: bandwidth cap in MB/s (0: the class's). */
    int bandwidthMBps() default 0;

    /** Override: shards of a cluster class (0: the class's). */
    int shardCount() default 0;
}
