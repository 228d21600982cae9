package dev.kvsim.resp;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commands arrive in pieces cut anywhere; the parser must hand each over once it is whole, check
 * every length against the engine's limits first, and hold no more than what arrived.
 */
class RespCommandParserTest {

    private static Buffer command(int args, String prefix) {
        StringBuilder b = new StringBuilder("*" + (args + 1) + "\r\n$6\r\nEXISTS\r\n");
        for (int i = 0; i < args; i++) {
            String a = prefix + i;
            b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return Buffer.buffer(b.toString().getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void manyShortArgumentsCutInsideAnArgumentArriveWhole() throws Exception {
        // 130 arguments of ~12 bytes: shorter than any per-argument guess above the minimum of 6 bytes
        Buffer whole = command(130, "kxxxxxxx");
        for (int cut = 1; cut < whole.length(); cut += 7) {
            RespCommandParser parser = new RespCommandParser();
            List<Integer> argc = new ArrayList<>();
            parser.feed(whole.getBuffer(0, cut), true, c -> argc.add(c.argc()));
            parser.feed(whole.getBuffer(cut, whole.length()), true, c -> argc.add(c.argc()));
            assertEquals(List.of(131), argc, "cut at byte " + cut);
        }
    }

    /** Found by the fuzzer: a malformed argument shorter than a valid one, after a cut, waited for bytes that never came. */
    @Test
    void aMalformedArgumentAfterACutIsAnsweredAtOnce() throws Exception {
        Buffer frame = ascii("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$-3\r\n");
        for (int cut = 1; cut < frame.length(); cut++) {
            RespCommandParser parser = new RespCommandParser();
            parser.feed(frame.getBuffer(0, cut), true, c -> true);
            int at = cut;
            RespProtocolException e = assertThrows(RespProtocolException.class,
                    () -> parser.feed(frame.getBuffer(at, frame.length()), true, c -> true), "cut at byte " + cut);
            assertEquals("ERR Protocol error: invalid bulk length", e.getMessage());
        }
    }

    @Test
    void aCommandInThreePiecesWithTinyArgumentsArrivesOnce() throws Exception {
        Buffer whole = command(500, "");
        RespCommandParser parser = new RespCommandParser();
        List<Integer> argc = new ArrayList<>();
        int a = whole.length() / 3;
        int b = 2 * whole.length() / 3;
        parser.feed(whole.getBuffer(0, a), true, c -> argc.add(c.argc()));
        parser.feed(whole.getBuffer(a, b), true, c -> argc.add(c.argc()));
        parser.feed(whole.getBuffer(b, whole.length()), true, c -> argc.add(c.argc()));
        assertEquals(List.of(501), argc);
    }

    /** Bytes this thread allocated while {@code work} ran (after a warm-up, so that class loading is not counted). */
    private static long allocatedBy(ThrowingRunnable work) throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        RespCommandParser warm = new RespCommandParser();
        warm.feed(ascii("*2\r\n$3\r\nGET\r\n$5\r\nab"), true, c -> true);
        warm.feed(ascii("cde\r\n"), true, c -> true);
        threads.getCurrentThreadAllocatedBytes();
        long before = threads.getCurrentThreadAllocatedBytes();
        work.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static Buffer ascii(String s) {
        return Buffer.buffer(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aTwentyByteFrameAnnouncingHalfAGigabyteCostsWhatArrived() throws Exception {
        RespCommandParser parser = new RespCommandParser();
        List<RespCommand> out = new ArrayList<>();
        long allocated = allocatedBy(() -> parser.feed(ascii("*2\r\n$0\r\n\r\n$536870912\r\nab"), true, out::add));
        assertEquals(List.of(), out);
        assertTrue(allocated < 64 * 1024, "20 bytes of a 512 MB bulk allocated " + allocated + " bytes");
    }

    @Test
    void aLargeValueArrivingInPiecesGrowsWithWhatCameAndArrivesWhole() throws Exception {
        byte[] value = new byte[4 * 1024 * 1024];
        new java.util.Random(7).nextBytes(value);
        Buffer frame = ascii("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + value.length + "\r\n").appendBytes(value).appendString("\r\n");
        RespCommandParser parser = new RespCommandParser();
        List<RespCommand> out = new ArrayList<>();
        // the first piece announces 4 MB and brings 64 KB: the copy is sized for what came, not for 4 MB
        long first = allocatedBy(() -> parser.feed(frame.getBuffer(0, 64 * 1024), true, out::add));
        assertTrue(first < 512 * 1024, "the first 64 KB allocated " + first + " bytes");
        long rest = allocatedBy(() -> {
            for (int at = 64 * 1024; at < frame.length(); at += 64 * 1024) {
                parser.feed(frame.getBuffer(at, Math.min(frame.length(), at + 64 * 1024)), true, out::add);
            }
        });
        assertEquals(1, out.size());
        assertArrayEquals(value, out.get(0).arg(2));
        // growing by doubling copies at most about twice the value; sized by 4 KB steps it would be ~64 times
        assertTrue(rest < 6L * value.length, "4 MB in 64 KB pieces allocated " + rest + " bytes");
    }

    private static String protocolError(String bytes, boolean authenticated) {
        RespProtocolException e = assertThrows(RespProtocolException.class,
                () -> new RespCommandParser().feed(ascii(bytes), authenticated, c -> true));
        return e.getMessage();
    }

    @Test
    void lengthsOverTheEnginesLimitsAreRefusedBeforeAnyAllocation() {
        assertEquals("ERR Protocol error: invalid bulk length", protocolError("*1\r\n$536870913\r\n", true));
        assertEquals("ERR Protocol error: invalid multibulk length", protocolError("*2147483648\r\n", true));
        assertEquals("ERR Protocol error: invalid multibulk length", protocolError("*9999999999999999999\r\n", true));
        assertEquals("ERR Protocol error: unauthenticated multibulk length", protocolError("*11\r\n", false));
        assertEquals("ERR Protocol error: unauthenticated bulk length", protocolError("*1\r\n$16385\r\n", false));
    }

    @Test
    void lengthsAreReadAsTheEngineReadsThem() throws Exception {
        // string2ll: no leading zero, no '+', no "-0"
        assertEquals("ERR Protocol error: invalid bulk length", protocolError("*1\r\n$04\r\nPING\r\n", true));
        assertEquals("ERR Protocol error: invalid bulk length", protocolError("*1\r\n$+4\r\nPING\r\n", true));
        assertEquals("ERR Protocol error: invalid multibulk length", protocolError("*-0\r\n", true));
        List<Integer> argc = new ArrayList<>();
        new RespCommandParser().feed(ascii("*-1\r\n*0\r\n*1\r\n$0\r\n\r\n"), true, c -> argc.add(c.argc()));
        assertEquals(List.of(1), argc, "an empty or negative count is skipped, as the engine skips it");
    }

    @Test
    void anIncompleteCommandPastTheQueryBufferLimitEndsTheConnectionWithoutAReply() throws Exception {
        RespCommandParser parser = new RespCommandParser(1024 * 1024);
        parser.feed(ascii("*2\r\n$3\r\nGET\r\n$536870000\r\n"), true, c -> true);
        Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
        RespProtocolException e = assertThrows(RespProtocolException.class, () -> {
            for (int i = 0; i < 17; i++) {
                parser.feed(chunk, true, c -> true);
            }
        });
        assertEquals(0, e.reply().length(), "the engine closes without a reply");
    }

    @Test
    void anAuthAndALargeValueInOneReadAreFramedEachWithTheLimitsOfItsMoment() throws Exception {
        String value = "v".repeat(20_000);
        Buffer read = ascii("*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + value.length() + "\r\n"
                + value + "\r\n");
        boolean[] loggedIn = {false};
        List<String> names = new ArrayList<>();
        new RespCommandParser().feed(read, () -> loggedIn[0], c -> {
            names.add(c.name());
            loggedIn[0] |= c.name().equals("auth");
            return true;
        });
        assertEquals(List.of("auth", "set"), names, "the SET after the AUTH is framed as the engine frames it: logged in");
    }
}
