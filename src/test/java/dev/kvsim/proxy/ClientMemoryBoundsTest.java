package dev.kvsim.proxy;

import dev.kvsim.Flood;
import dev.kvsim.HeapUse;
import dev.kvsim.PasswordInstance;
import dev.kvsim.RawClient;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static dev.kvsim.HeapUse.mb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a client that does not take its replies costs kvsim, on a standard and a cluster instance:
 * about its bound ({@code kvsim.proxy.client-output-limit}, 1 MB) before and after AUTH, a 20-byte
 * frame no more than 20 bytes, and a subscriber the engine's pub/sub output limit; other clients
 * never notice. kvsim runs in this JVM: its heap is read after full collections.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientMemoryBoundsTest {

    /**
     * What each flooding client sends: at least what the client sent before AUTH (24 MB took the JVM from
     * 438 MB to 2 GB), and more than the kernel can hold on the way in (the client's send buffer and
     * kvsim's receive buffer at their largest, tcp_wmem and tcp_rmem, 32 MB of receive buffer on some machines), so
     * that a client that sent it all was read by kvsim.
     */
    private static final long SENT = Math.max(24L << 20, kernelBufferMost() + (8L << 20));

    private static long kernelBufferMost() {
        try {
            long most = 0;
            for (String f : List.of("/proc/sys/net/ipv4/tcp_rmem", "/proc/sys/net/ipv4/tcp_wmem")) {
                String[] v = java.nio.file.Files.readAllLines(java.nio.file.Path.of(f)).get(0).trim().split("\\s+");
                most += Long.parseLong(v[2]);
            }
            return most;
        } catch (java.io.IOException | RuntimeException e) {
            return 16L << 20;
        }
    }

    private static final byte[] PING = ascii("*1\r\n$4\r\nPING\r\n");
    private static final byte[] GET = ascii("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
    private static final byte[] AUTH = ascii("*2\r\n$4\r\nAUTH\r\n$" + PasswordInstance.PASSWORD.length() + "\r\n"
            + PasswordInstance.PASSWORD + "\r\n");

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

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Floods from {@code clients} connections to each instance at once, never reading; asserts that
     * kvsim's heap grew by less than {@code most} and that another client is served meanwhile.
     */
    private void assertBounded(int clients, byte[] first, byte[] unit, long most) throws Exception {
        long before = HeapUse.afterGc();
        List<Flood> floods = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                floods.add(new Flood(standard.port(), first, unit, SENT));
                floods.add(new Flood(cluster.port(), first, unit, SENT));
            }
            long sent = 0;
            for (Flood f : floods) {
                sent += f.awaitSentOrStalled(1000);
            }
            long grown = HeapUse.afterGc() - before;
            System.out.printf("%d clients sent %s without reading; kvsim's heap grew by %s%n", floods.size(), mb(sent), mb(grown));
            assertTrue(grown < most, floods.size() + " clients sent " + mb(sent) + " without reading; kvsim's heap grew by "
                    + mb(grown) + ", more than " + mb(most));
            for (Flood f : floods) {
                assertTrue(!f.sentAll(), "kvsim stopped reading a client that does not read its replies");
            }
            for (PasswordInstance i : List.of(standard, cluster)) {
                try (RawClient bystander = i.authenticated()) {
                    long start = System.nanoTime();
                    assertEquals("+OK", bystander.command("SET", "bystander", "here").line());
                    assertEquals("here", bystander.command("GET", "bystander").reply());
                    assertTrue(System.nanoTime() - start < 2_000_000_000L, "another client is served at once");
                }
            }
        } finally {
            for (Flood f : floods) {
                f.close();
            }
        }
    }

    @Test
    void clientsFloodingBeforeAuthWithoutReadingCostAboutTheirBound() throws Exception {
        // SENT (24 MB or more) of PING before AUTH each; for 24 MB: 1.8 million -NOAUTH answers a client, 60 MB; unbounded, ~300 MB of heap
        assertBounded(2, new byte[0], PING, 24L << 20);
    }

    @Test
    void clientsPipeliningAfterAuthWithoutReadingCostAboutTheirBound() throws Exception {
        for (PasswordInstance i : List.of(standard, cluster)) {
            try (RawClient c = i.authenticated()) {
                assertEquals("+OK", c.command("SET", "k", "v".repeat(100)).line());
            }
        }
        // SENT of GET k; for 24 MB: replies of 107 bytes each, 110 MB a client when nothing stops it
        assertBounded(2, AUTH, GET, 24L << 20);
    }

    @Test
    void aTwentyByteFrameAnnouncingHalfAGigabyteCostsTwentyBytes() throws Exception {
        long before = HeapUse.afterGc();
        List<RawClient> hostile = new ArrayList<>();
        try {
            for (PasswordInstance i : List.of(standard, cluster)) {
                for (int n = 0; n < 4; n++) {
                    RawClient c = i.authenticated();
                    hostile.add(c);
                    c.send("*2\r\n$0\r\n\r\n$536870912\r\nab");
                }
            }
            for (PasswordInstance i : List.of(standard, cluster)) {
                try (RawClient bystander = i.authenticated()) {
                    assertEquals("+PONG", bystander.command("PING").line());
                }
            }
            long grown = HeapUse.afterGc() - before;
            assertTrue(grown < 32L << 20, "8 frames announcing 512 MB grew kvsim's heap by " + mb(grown));
            for (RawClient c : hostile) {
                assertTrue(c.isOpen(), "a frame within the engine's limits waits for its bytes");
            }
        } finally {
            for (RawClient c : hostile) {
                c.close();
            }
        }
    }

    @Test
    void repliesBehindABlockedCommandDoNotPileUpOnTheClusterProxy() throws Exception {
        try (RawClient setup = cluster.authenticated()) {
            assertEquals("+OK", setup.command("SET", "k", "v".repeat(100)).line());
            setup.command("DEL", "blocked-list").line();
        }
        long gets = (6L << 20) / GET.length;
        long before = HeapUse.afterGc();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", cluster.port()), 5000);
            s.setSoTimeout(30_000);
            AtomicLong read = new AtomicLong();
            Thread reader = new Thread(() -> drain(s, read), "blocked-reader");
            reader.setDaemon(true);
            reader.start();
            OutputStream out = s.getOutputStream();
            out.write(AUTH);
            out.write(ascii("*3\r\n$5\r\nBLPOP\r\n$12\r\nblocked-list\r\n$1\r\n0\r\n"));
            Thread writer = new Thread(() -> {
                try {
                    byte[] chunk = Flood.repeat(GET, GET.length * 4096);
                    for (long n = 0; n < gets; n += 4096) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            }, "blocked-writer");
            writer.setDaemon(true);
            writer.start();
            dev.kvsim.Instances.sleep(1000);
            assertEquals("+OK\r\n".length(), read.get(), "AUTH answered");
            dev.kvsim.Instances.sleep(2000);
            assertEquals("+OK\r\n".length(), read.get(), "nothing more is written while the BLPOP at the head blocks");
            long grown = HeapUse.afterGc() - before;
            assertTrue(grown < 24L << 20, "replies waiting behind a BLPOP grew kvsim's heap by " + mb(grown));
            try (RawClient pusher = cluster.authenticated()) {
                assertEquals(":1", pusher.command("RPUSH", "blocked-list", "v").line());
            }
            long expected = "+OK\r\n".length() + "*2\r\n$12\r\nblocked-list\r\n$1\r\nv\r\n".length()
                    + (gets + 4095) / 4096 * 4096 * (long) "$100\r\n\r\n".length() + (gets + 4095) / 4096 * 4096 * 100L;
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (read.get() < expected && System.nanoTime() < deadline) {
                dev.kvsim.Instances.sleep(50);
            }
            assertEquals(expected, read.get(), "every reply arrives once the BLPOP is answered");
        }
    }

    /** Reads everything the socket brings, counting bytes, until it closes. */
    private static void drain(Socket s, AtomicLong read) {
        byte[] buf = new byte[64 * 1024];
        try {
            InputStream in = s.getInputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                read.addAndGet(n);
            }
        } catch (IOException e) {
            // closed
        }
    }

    @Test
    void aSubscriberThatDoesNotReadIsClosedPastTheEnginesPubSubLimit() throws Exception {
        for (PasswordInstance i : List.of(standard, cluster)) {
            long before = HeapUse.afterGc();
            try (RawClient subscriber = i.authenticated(); RawClient publisher = i.authenticated()) {
                subscriber.command("SUBSCRIBE", "news");
                assertEquals("*3", subscriber.line());
                subscriber.line();
                subscriber.line();
                subscriber.line();
                subscriber.line();
                assertEquals(":1", subscriber.line());
                String message = "m".repeat(16 * 1024);
                long published = 0;
                boolean gone = false;
                while (!gone && published < 160L << 20) {
                    String[][] batch = new String[64][];
                    java.util.Arrays.fill(batch, new String[] {"PUBLISH", "news", message});
                    publisher.pipeline(batch);
                    for (int n = 0; n < batch.length; n++) {
                        gone |= publisher.line().equals(":0");
                    }
                    published += (long) batch.length * message.length();
                }
                assertTrue(gone, "the subscriber is still subscribed after " + mb(published));
                // the engine closes a subscriber past 32 MB unsent (client-output-buffer-limit pubsub 32mb 8mb 60)
                assertTrue(published >= 32L << 20 && published < 96L << 20,
                        "the subscriber was dropped after " + mb(published));
                long grown = HeapUse.afterGc() - before;
                assertTrue(grown < 16L << 20, "a subscriber that does not read grew kvsim's heap by " + mb(grown));
                assertTrue(subscriber.drainedToClose(15_000), "kvsim closes the subscriber's connection");
            }
        }
    }

}
