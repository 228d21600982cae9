package dev.kvsim.faults;

import dev.kvsim.Instances;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.kvsim.Instances.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every network fault type end to end: injected through the admin API, acting in the instance's real
 * RESP proxy, seen by real clients over real sockets. A timed fault must act no sooner than it says
 * (the proxy cannot answer earlier than the fault lets it) and at most {@link #SLACK_MS} later.
 * Over 400 lines because it covers every type, on standard and cluster links, in one shared set-up
 * (one instance of each kind for the whole class, which keeps its run short).
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkFaultEndToEndTest {

    /**
     * How much later than its time a fault may act. Six runs on the 2-core test machine put 0-36 ms
     * on top of each fault's time, once 233 ms (a pause of this JVM, which also runs kvsim). Every
     * timed fault below lasts 300 ms or more, so one that does its delay twice is late by more than this.
     */
    private static final long SLACK_MS = 250;

    private String id;
    private int port;
    private String clusterId;
    private int clusterPort;

    @BeforeAll
    void create() {
        JsonPath i = Instances.createSingle();
        id = i.getString("instanceId");
        port = i.getInt("port");
        JsonPath c = Instances.create(Map.of("instanceClass", "redis.logic.sharding.2g.8db.0rodb.8proxy.default",
                "overrides", Map.of("shardCount", 2, "memoryMb", 64)));
        clusterId = c.getString("instanceId");
        clusterPort = c.getInt("port");
        // warm up the clients and the proxies' paths, so that the first test's timings are not a cold start
        for (int p : new int[] {port, clusterPort}) {
            try (Jedis j = new Jedis("127.0.0.1", p)) {
                j.set("warmup", "1");
                j.get("warmup");
            }
        }
    }

    @AfterAll
    void delete() {
        Instances.delete(id);
        Instances.delete(clusterId);
    }

    @AfterEach
    void reset() {
        given().when().post("/api/v1/faults/reset").then().statusCode(200);
    }

    // ---- one test per fault type ----------------------------------------------------------------

    @Test
    void latencyDelaysEveryReplyUntilTheFaultIsDeleted() throws Exception {
        try (Wire c = new Wire(port)) {
            assertEquals("+PONG", c.command("PING").line());
            String faultId = fault(id, "latency", Map.of("latencyMs", 300));
            assertTook(300, pingMs(c), "PING with 300 ms latency");
            try (Wire fresh = new Wire(port)) {
                assertTook(300, pingMs(fresh), "PING on a new connection, which gets the latency too");
            }
            deleteFault(faultId);
            long ms = pingMs(c);
            assertTrue(ms < 300, "PING once the latency fault is deleted took " + ms + " ms");
        }
    }

    @Test
    void bandwidthPacesABigReply() throws Exception {
        byte[] value = value(200 * 1024, 1);
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.set("bw:big".getBytes(StandardCharsets.UTF_8), value);
        }
        fault(id, "bandwidth", Map.of("rateKBps", 100));
        try (Wire c = new Wire(port)) {
            long start = System.nanoTime();
            byte[] got = c.command("GET", "bw:big").bulk();
            long ms = elapsedMs(start);
            assertArrayEquals(value, got, "the paced value arrives intact");
            // every byte is paced: the 200 KiB value alone is 2 s at 100 KiB/s
            assertTook(2_000, ms, "200 KiB at 100 KiB/s");
        }
    }

    @Test
    void timeoutSwallowsRepliesAndClosesAfterTimeoutMs() throws Exception {
        try (Wire idle = new Wire(port)) {
            assertEquals("+PONG", idle.command("PING").line());
            long asked = System.nanoTime();
            fault(id, "timeout", Map.of("timeoutMs", 500));
            long started = System.nanoTime();  // the open connection's timer started during the call

            idle.command("PING");
            assertEquals(-1, idle.firstByte(), "the already open connection gets no reply, then the close");
            assertTookBetween(500, asked, started, "the open connection's close");

            long connectAt = System.nanoTime();
            try (Wire c = new Wire(port)) {
                c.command("PING");
                assertEquals(-1, c.firstByte(), "no reply, then the close");
                assertTook(500, elapsedMs(connectAt), "a new connection's close");
            }
        }
    }

    @Test
    void resetPeerResetsOpenAndNewConnections() throws Exception {
        try (Wire idle = new Wire(port)) {
            assertEquals("+PONG", idle.command("PING").line());
            long asked = System.nanoTime();
            fault(id, "reset_peer", Map.of("timeoutMs", 300));
            long started = System.nanoTime();
            assertReset(idle);
            assertTookBetween(300, asked, started, "the open connection's reset");
            long connectAt = System.nanoTime();
            try (Wire c = new Wire(port)) {
                assertReset(c);
                assertTook(300, elapsedMs(connectAt), "a new connection's reset");
            }
        }
    }

    @Test
    void slowCloseDelaysTheCloseAfterQuit() throws Exception {
        try (Wire c = new Wire(port)) {
            long start = System.nanoTime();
            assertEquals("+OK", c.command("QUIT").line());
            assertEquals(-1, c.firstByte());
            long ms = elapsedMs(start);
            assertTrue(ms < 500, "without the fault QUIT closes at once; took " + ms + " ms");
        }
        fault(id, "slow_close", Map.of("delayMs", 500));
        try (Wire c = new Wire(port)) {
            assertEquals("+PONG", c.command("PING").line());
            long start = System.nanoTime();
            assertEquals("+OK", c.command("QUIT").line());
            long okMs = elapsedMs(start);
            assertTrue(okMs < 500, "the QUIT reply itself is not held back: " + okMs + " ms");
            assertEquals(-1, c.firstByte(), "nothing after +OK but the close");
            assertTook(500, elapsedMs(start), "the close after QUIT");
        }
    }

    @Test
    void slicerDeliversABigValueInManyPiecesButIntact() throws Exception {
        byte[] value = value(100 * 1024, 2);
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.set("slice:big".getBytes(StandardCharsets.UTF_8), value);
        }
        fault(id, "slicer", Map.of("averageSize", 1024, "sizeVariation", 512, "delayUs", 3_000));
        try (Wire c = new Wire(port)) {
            long start = System.nanoTime();
            c.command("GET", "slice:big");
            byte[] got = c.bulk();
            long ms = elapsedMs(start);
            assertArrayEquals(value, got, "the sliced value arrives intact, in order");
            // 100 KiB in slices of 512-1536 bytes, 3 ms apart: at least 67 slices (201 ms), about 100 (300 ms)
            assertTrue(ms >= 201 && ms < 300 + SLACK_MS, "100 KiB in slices 3 ms apart came in " + ms + " ms");
            assertTrue(c.reads >= 30, "the value came in only " + c.reads + " reads");
        }
    }

    @Test
    void limitDataCutsABigReplyAndClosesTheConnection() throws Exception {
        byte[] value = value(100 * 1024, 3);
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.set("limit:big".getBytes(StandardCharsets.UTF_8), value);
        }
        fault(id, "limit_data", Map.of("bytes", 1000));
        try (Wire c = new Wire(port)) {
            c.command("GET", "limit:big");
            byte[] got = c.untilEof();
            assertEquals(1000, got.length, "exactly the first 1000 bytes of the reply pass");
            byte[] expected = ("$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
            assertArrayEquals(expected, Arrays.copyOf(got, expected.length), "the reply's start");
            assertArrayEquals(Arrays.copyOfRange(value, 0, 1000 - expected.length),
                    Arrays.copyOfRange(got, expected.length, 1000), "the value's first bytes");
        }
    }

    @Test
    void refuseConnectionsRefusesNewOnesAndKeepsOpenOnes() throws Exception {
        try (Wire open = new Wire(port)) {
            assertEquals("+PONG", open.command("PING").line());
            String faultId = fault(id, "refuse_connections", Map.of());
            Wire refused;
            try {
                refused = new Wire(port);
            } catch (SocketException resetDuringConnect) {
                refused = null;  // the reset can even beat the end of connect(): refused just as well
            }
            if (refused != null) {
                try (Wire r = refused) {
                    try {
                        r.command("PING");
                    } catch (IOException alreadyReset) {
                        // the reset may arrive before the write
                    }
                    assertRefused(r);
                }
            }
            assertEquals("+PONG", open.command("PING").line(), "an established connection keeps working");
            deleteFault(faultId);
            try (Wire again = new Wire(port)) {
                assertEquals("+PONG", again.command("PING").line(), "new connections are accepted again");
            }
        }
    }

    // ---- targets and directions -----------------------------------------------------------------

    @Test
    void latencyOnTheMastersLinkDelaysForwardedCommandsOnly() throws Exception {
        try (Wire c = new Wire(port)) {
            assertEquals("+OK", c.command("SET", "ml:k", "v").line());
            String faultId = fault(id, Map.of("type", "latency", "target", Map.of("shard", 0, "node", "master"),
                    "attributes", Map.of("latencyMs", 300)));
            long start = System.nanoTime();
            assertEquals("v", new String(c.command("GET", "ml:k").bulk(), StandardCharsets.UTF_8));
            assertTook(300, elapsedMs(start), "GET through a 300 ms master link");
            long ms;

            // the proxy answers CONFIG SET itself: the client's own link is not slowed
            start = System.nanoTime();
            assertEquals("+OK", c.command("CONFIG", "SET", "maxmemory-policy", "allkeys-lru").line());
            ms = elapsedMs(start);
            assertTrue(ms < 300, "a reply of the proxy itself took " + ms + " ms");

            try (Wire fresh = new Wire(port)) {
                start = System.nanoTime();
                assertEquals("v", new String(fresh.command("GET", "ml:k").bulk(), StandardCharsets.UTF_8));
                assertTook(300, elapsedMs(start), "GET on a new session, whose master link is slow too");
            }

            deleteFault(faultId);
            start = System.nanoTime();
            assertEquals("v", new String(c.command("GET", "ml:k").bulk(), StandardCharsets.UTF_8));
            ms = elapsedMs(start);
            assertTrue(ms < 300, "GET once the fault is deleted took " + ms + " ms");
        }
    }

    @Test
    void upstreamLosesTheCommandDownstreamOnlyItsReply() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.del("dir:down", "dir:up");
        }

        String down = fault(id, Map.of("type", "timeout", "stream", "downstream", "attributes", Map.of("timeoutMs", 0)));
        try (Wire c = new Wire(port)) {
            c.command("SET", "dir:down", "1");
            c.setTimeout(400);
            assertThrows(SocketTimeoutException.class, c::firstByte, "downstream: the reply is lost");
        }
        deleteFault(down);
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertEquals("1", j.get("dir:down"), "downstream: the command itself reached the engine");
        }

        String up = fault(id, Map.of("type", "timeout", "stream", "upstream", "attributes", Map.of("timeoutMs", 0)));
        try (Wire c = new Wire(port)) {
            c.command("SET", "dir:up", "1");
            c.setTimeout(400);
            assertThrows(SocketTimeoutException.class, c::firstByte, "upstream: no reply either");
        }
        deleteFault(up);
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertNull(j.get("dir:up"), "upstream: the command never reached the engine");
        }
    }

    @Test
    void clusterLatencyOnProxyOneSlowsOnlyItsConnections() throws Exception {
        Map<Integer, Jedis> byProxy = new HashMap<>();
        try {
            // connections go to the logical proxies in turn, in accept order: 8 in a row cover them all
            for (int k = 0; k < 8 && !(byProxy.containsKey(1) && byProxy.size() >= 2); k++) {
                Jedis j = new Jedis("127.0.0.1", clusterPort);
                int p = proxyOf(j);
                if (byProxy.putIfAbsent(p, j) != null) {
                    j.close();
                }
            }
            Jedis one = byProxy.get(1);
            assertNotNull(one, "no connection landed on proxy 1: " + byProxy.keySet());
            int otherIndex = byProxy.keySet().stream().filter(p -> p != 1).findFirst().orElseThrow();
            Jedis other = byProxy.get(otherIndex);

            String faultId = fault(clusterId, Map.of("type", "latency", "target", Map.of("proxy", 1),
                    "attributes", Map.of("latencyMs", 300)));
            assertTook(300, pingMs(one), "PING on proxy 1");
            long ms = pingMs(other);
            assertTrue(ms < 300, "PING on proxy " + otherIndex + " took " + ms + " ms");
            one.set("cl:k", "v");
            assertEquals("v", other.get("cl:k"));

            deleteFault(faultId);
            ms = pingMs(one);
            assertTrue(ms < 300, "PING on proxy 1 once the fault is deleted took " + ms + " ms");
        } finally {
            byProxy.values().forEach(Jedis::close);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static String fault(String instanceId, String type, Map<String, Object> attributes) {
        return fault(instanceId, Map.of("type", type, "attributes", attributes));
    }

    private static String fault(String instanceId, Map<String, Object> body) {
        String faultId = Instances.fault(instanceId, body).getString("faultId");
        assertNotNull(faultId);
        return faultId;
    }

    private static void deleteFault(String faultId) {
        given().when().delete("/api/v1/faults/" + faultId).then().statusCode(204);
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** {@code ms} is at least the fault's {@code expectedMs} and at most {@link #SLACK_MS} more. */
    private static void assertTook(long expectedMs, long ms, String what) {
        assertTrue(ms >= expectedMs && ms < expectedMs + SLACK_MS,
                what + " took " + ms + " ms; the fault says " + expectedMs + " ms");
    }

    /**
     * The fault, asked for at {@code asked} and started by {@code started}, acted {@code expectedMs}
     * after it started: no sooner than that after {@code asked}, at most {@link #SLACK_MS} later after {@code started}.
     */
    private static void assertTookBetween(long expectedMs, long asked, long started, String what) {
        long soonest = elapsedMs(asked);
        long latest = elapsedMs(started);
        assertTrue(soonest >= expectedMs, what + " came " + soonest + " ms after the fault was asked for; it says " + expectedMs);
        assertTrue(latest < expectedMs + SLACK_MS, what + " came " + latest + " ms after the fault started; it says " + expectedMs);
    }

    private static long pingMs(Wire c) throws IOException {
        long start = System.nanoTime();
        assertEquals("+PONG", c.command("PING").line());
        return elapsedMs(start);
    }

    private static long pingMs(Jedis j) {
        long start = System.nanoTime();
        assertEquals("PONG", j.ping());
        return elapsedMs(start);
    }

    private static int proxyOf(Jedis j) {
        String list = j.clientList();
        Matcher m = Pattern.compile(" proxy=(\\d+)").matcher(list);
        assertTrue(m.find(), "CLIENT LIST names the logical proxy: " + list);
        return Integer.parseInt(m.group(1));
    }

    /** A value of {@code size} printable bytes, different for each seed. */
    private static byte[] value(int size, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[size];
        for (int k = 0; k < size; k++) {
            b[k] = (byte) ('a' + r.nextInt(26));
        }
        return b;
    }

    private static void assertReset(Wire c) {
        SocketException e = assertThrows(SocketException.class, c::firstByte, "the connection is reset, not closed");
        assertTrue(String.valueOf(e.getMessage()).toLowerCase().contains("reset"), "reset: " + e.getMessage());
    }

    /** A refused connection: the proxy resets it at once (a read sees the reset, or at least EOF). */
    private static void assertRefused(Wire c) {
        try {
            int b = c.firstByte();
            assertEquals(-1, b, "a refused connection reads nothing");
        } catch (SocketTimeoutException e) {
            fail("a refused connection stayed open");
        } catch (IOException e) {
            assertTrue(String.valueOf(e.getMessage()).toLowerCase().contains("reset")
                    || String.valueOf(e.getMessage()).toLowerCase().contains("broken pipe"), e.toString());
        }
    }

    /** A plain socket to the proxy, reading raw RESP and counting its reads. */
    private static final class Wire implements AutoCloseable {

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        /** How many socket reads returned data since the last {@link #command}. */
        int reads;
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int limit;

        Wire(int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(5_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void setTimeout(int ms) throws SocketException {
            socket.setSoTimeout(ms);
        }

        Wire command(String... args) throws IOException {
            StringBuilder sb = new StringBuilder().append('*').append(args.length).append("\r\n");
            for (String a : args) {
                sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
            reads = 0;
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return this;
        }

        private boolean fill() throws IOException {
            int n = in.read(buf);
            if (n < 0) {
                return false;
            }
            reads++;
            pos = 0;
            limit = n;
            return true;
        }

        private int next() throws IOException {
            if (pos == limit && !fill()) {
                throw new IOException("connection closed by the proxy");
            }
            return buf[pos++] & 0xff;
        }

        /** The first unread byte, or -1 at EOF; throws on reset or timeout. */
        int firstByte() throws IOException {
            if (pos < limit) {
                return buf[pos++] & 0xff;
            }
            return fill() ? buf[pos++] & 0xff : -1;
        }

        /** One reply line without its CRLF. */
        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                int c = next();
                if (c == '\r') {
                    int n = next();
                    if (n == '\n') {
                        return b.toString(StandardCharsets.UTF_8);
                    }
                    b.write(c);
                    c = n;
                }
                b.write(c);
            }
        }

        /** A bulk reply's value, exactly as sent. */
        byte[] bulk() throws IOException {
            String header = line();
            assertTrue(header.startsWith("$"), "a bulk reply, not " + header);
            int len = Integer.parseInt(header.substring(1));
            byte[] value = new byte[len];
            for (int k = 0; k < len; k++) {
                value[k] = (byte) next();
            }
            assertEquals('\r', next());
            assertEquals('\n', next());
            return value;
        }

        /** Everything until the proxy closes the connection. */
        byte[] untilEof() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                if (pos == limit && !fill()) {
                    return b.toByteArray();
                }
                b.write(buf, pos, limit - pos);
                pos = limit;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
