package dev.kvsim.limits;

import dev.kvsim.Instances;
import dev.kvsim.RawClient;
import dev.kvsim.proxy.ProxyLimits;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kvsim short of file descriptors: the process's open-file limit is lowered (prlimit on this JVM,
 * where kvsim runs) to a few dozen above what is open plus the reserve. Client connections past it
 * read the engine's max-clients text and are closed, while the admin API answers, the instance stays
 * Normal, a new instance is created (its nodes start) and HA replaces a killed master. The limit is
 * put back after the test, whatever happens.
 */
@QuarkusTest
class DescriptorReserveTest {

    /** Descriptors left to client connections: a standard instance's client costs two. */
    private static final int SPARE = 40;

    @Inject
    ProxyLimits limits;

    @Test
    void shortOfDescriptorsClientsAreRefusedWithTheEnginesTextAndHaAndTheAdminApiGoOn() throws Exception {
        JsonPath i = Instances.createDual();
        String id = i.getString("instanceId");
        int port = i.getInt("port");
        DescriptorBudget budget = limits.descriptors();
        long[] original = OpenFileLimit.read();
        List<RawClient> clients = new ArrayList<>();
        String second = null;
        try {
            budget.sample();
            OpenFileLimit.set(budget.open() + budget.reserve() + SPARE, original[1]);
            budget.sample();
            String refusal = null;
            for (int n = 0; n < SPARE && refusal == null; n++) {
                RawClient c = new RawClient(port);
                clients.add(c);
                String line = c.command("PING").line();
                if (!line.equals("+PONG")) {
                    refusal = line;
                    assertTrue(c.closedByServer(), "a refused client is closed");
                }
            }
            assertEquals("-ERR max number of clients reached", refusal,
                    "a client connection that would cut into the reserve reads the engine's text");
            assertTrue(clients.size() > 5, "clients are served until the reserve: " + clients.size());

            // the reserve serves the admin API, HA and node starts
            assertEquals("Normal", Instances.get(id).getString("status"));
            second = Instances.createSingle().getString("instanceId");
            assertEquals("Normal", Instances.get(second).getString("status"));
            int events = Instances.eventCount(id);
            Instances.fault(id, Map.of("type", "kill_node", "target", Map.of("node", "master")));
            Instances.awaitEvent(id, "Failover", events);
            Instances.awaitStatus(id, "Normal");

            OpenFileLimit.set(original[0], original[1]);
            budget.sample();
            try (RawClient c = new RawClient(port)) {
                assertEquals("+PONG", c.command("PING").line(), "with descriptors back, clients are served");
            }
        } finally {
            OpenFileLimit.set(original[0], original[1]);
            for (RawClient c : clients) {
                c.close();
            }
            if (second != null) {
                Instances.delete(second);
            }
            Instances.delete(id);
        }
    }

    /** This process's RLIMIT_NOFILE, through util-linux's prlimit. */
    private static final class OpenFileLimit {

        static long[] read() throws Exception {
            Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(ProcessHandle.current().pid()),
                    "--nofile", "--raw", "--noheadings", "--output=SOFT,HARD").start();
            String[] f = new String(p.getInputStream().readAllBytes()).trim().split("\\s+");
            assertEquals(0, p.waitFor());
            return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
        }

        static void set(long soft, long hard) throws Exception {
            Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(ProcessHandle.current().pid()),
                    "--nofile=" + soft + ":" + hard).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), out);
        }
    }
}
