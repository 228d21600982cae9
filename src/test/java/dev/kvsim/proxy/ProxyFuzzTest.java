package dev.kvsim.proxy;

import dev.kvsim.HeapUse;
import dev.kvsim.Instances;
import dev.kvsim.PasswordInstance;
import dev.kvsim.fuzz.FuzzRun;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;


import static dev.kvsim.HeapUse.mb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short, seeded run of the hostile-frame fuzzer (bench/fuzz.sh runs it for a million frames and
 * more): malformed and oversized frames, unread replies, half-sent frames and refused addresses over
 * many connections to a standard and a cluster instance, while a well-behaved client checks its
 * answers. Nothing crashes, every hostile connection reads the engine's answers, the well-behaved
 * client never gets a wrong one, and kvsim keeps no memory from it.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyFuzzTest {

    private static final long FRAMES = 25_000;

    private PasswordInstance standard;
    private PasswordInstance cluster;

    @BeforeAll
    void create() {
        standard = PasswordInstance.create();
        cluster = PasswordInstance.createCluster();
    }

    @AfterAll
    void delete() {
        standard.close();
        cluster.close();
    }

    private static void fuzz(PasswordInstance instance, long seed) throws Exception {
        long before = HeapUse.afterGc();
        FuzzRun.Result r = new FuzzRun(instance.port(), PasswordInstance.PASSWORD, seed, 8, "127.0.0.2")
                .run(FRAMES, 20_000);
        long grown = HeapUse.afterGc() - before;
        System.out.printf("fuzz %s: %s; heap after %+d KB%n", instance.id(), r, grown / 1024);
        assertTrue(r.frames.get() >= FRAMES, "sent " + r.frames.get() + " frames");
        assertEquals(0, r.portDown.get(), "the port refused connections: " + r);
        assertEquals(0, r.wrongAnswers.get(), r.toString());
        assertTrue(r.checker.clean(), "the well-behaved client: " + r.checker);
        assertTrue(r.protocolErrors.get() > 100, "malformed frames were answered: " + r);
        assertTrue(grown < 32L << 20, "kvsim kept " + mb(grown) + " after the run");
        assertEquals("Normal", Instances.get(instance.id()).getString("status"));
    }

    @Test
    void hostileFramesOnAStandardInstance() throws Exception {
        fuzz(standard, 15);
    }

    @Test
    void hostileFramesOnAClusterInstance() throws Exception {
        fuzz(cluster, 16);
    }
}
