package dev.kvsim.junit5;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the test class against kvsim: one kvsim process, started on first use and stopped when the test run
 * ends (or, with {@link Scope#CLASS}, when the class ends); every field or parameter annotated
 * {@link KvsimInstance} gets an instance created for it; fields and parameters of type
 * {@link dev.kvsim.client.KvsimAdmin} get the admin client.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KvsimExtension.class)
public @interface Kvsim {

    /** Whether the kvsim process is shared by the test run (the default) or started for this class alone. */
    Scope scope() default Scope.RUN;

    /** HA timings: {@code fast} (failover in under a second, the default) or {@code realistic} (as the service). */
    String haProfile() default "fast";

    /** kvsim's quarkus-run.jar, directory or -app.zip; empty: system property kvsim.artifact, else the local Maven repository. */
    String artifact() default "";

    enum Scope { RUN, CLASS }
}
