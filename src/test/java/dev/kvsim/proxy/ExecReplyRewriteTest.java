package dev.kvsim.proxy;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EXEC's reply with the proxy's own answers put back in their places. The engine replies are
 * redis-server 7.0.15's: it saw only the commands the proxy forwarded.
 */
class ExecReplyRewriteTest {

    private static final Buffer AUTH_OK = bytes("+OK\r\n");
    private static final Buffer CONFIG_SET_OK = bytes("+OK\r\n");
    /** CONFIG GET port on the node, rewritten to show the instance's port. */
    private static final ConfigGetMask PORT = new ConfigGetMask(Map.of("port", "6379"));

    private static Buffer bytes(String s) {
        return Buffer.buffer(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String apply(List<ExecReplyRewrite.Queued> queue, String engineReply) {
        return new ExecReplyRewrite(queue).apply(bytes(engineReply)).toString(StandardCharsets.UTF_8);
    }

    private static ExecReplyRewrite.Queued local(Buffer answer) {
        return new ExecReplyRewrite.Queued(answer, null);
    }

    private static ExecReplyRewrite.Queued engine() {
        return ExecReplyRewrite.Queued.engine();
    }

    @Test
    void proxyAnswersInterleavedWithEngineRepliesKeepTheQueueOrder() {
        // MULTI, AUTH pw, SET k v, CONFIG GET port, CONFIG SET ..., GET k, EXEC: the engine ran SET, CONFIG GET, GET
        List<ExecReplyRewrite.Queued> queue = List.of(local(AUTH_OK), engine(), new ExecReplyRewrite.Queued(null, PORT),
                local(CONFIG_SET_OK), engine());
        assertEquals("*5\r\n+OK\r\n+OK\r\n*2\r\n$4\r\nport\r\n$4\r\n6379\r\n+OK\r\n$1\r\nv\r\n",
                apply(queue, "*3\r\n+OK\r\n*2\r\n$4\r\nport\r\n$1\r\n0\r\n$1\r\nv\r\n"));
    }

    @Test
    void resp3RepliesAndNestedArraysPassThroughWhole() {
        List<ExecReplyRewrite.Queued> queue = List.of(engine(), new ExecReplyRewrite.Queued(null, PORT), local(AUTH_OK),
                engine(), engine());
        String engine = "*4\r\n+OK\r\n%1\r\n$4\r\nport\r\n$1\r\n0\r\n*2\r\n*2\r\n$1\r\nn\r\n,-2\r\n*2\r\n$1\r\nm\r\n,1.5\r\n"
                + "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
        assertEquals("*5\r\n+OK\r\n%1\r\n$4\r\nport\r\n$4\r\n6379\r\n+OK\r\n*2\r\n*2\r\n$1\r\nn\r\n,-2\r\n*2\r\n$1\r\nm\r\n,1.5\r\n"
                + "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", apply(queue, engine));
    }

    @Test
    void aTransactionOfProxyAnswersOnlyGetsThemAll() {
        // MULTI, AUTH pw, CONFIG SET ..., EXEC: the engine ran nothing and answered an empty array
        assertEquals("*2\r\n+OK\r\n+OK\r\n", apply(List.of(local(AUTH_OK), local(CONFIG_SET_OK)), "*0\r\n"));
    }

    @Test
    void anAbortedTransactionStaysAborted() {
        List<ExecReplyRewrite.Queued> queue = List.of(local(AUTH_OK), engine());
        assertEquals("*-1\r\n", apply(queue, "*-1\r\n"), "a WATCHed key changed (RESP2)");
        assertEquals("_\r\n", apply(queue, "_\r\n"), "a WATCHed key changed (RESP3)");
        assertEquals("*-1\r\n", apply(List.of(local(AUTH_OK)), "*-1\r\n"), "no local answer without the transaction");
        String abort = "-EXECABORT Transaction discarded because of previous errors.\r\n";
        assertEquals(abort, apply(queue, abort));
    }

    @Test
    void anEngineReplyOfAnotherLengthIsLeftAlone() {
        // two engine commands expected, three results: not this transaction's reply
        Buffer reply = bytes("*3\r\n:1\r\n:2\r\n:3\r\n");
        assertSame(reply, new ExecReplyRewrite(List.of(local(AUTH_OK), engine(), engine())).apply(reply));
    }

    @Test
    void onlyAQueueWithProxyAnswersOrRewritesNeedsTheRewrite() {
        assertTrue(ExecReplyRewrite.needless(List.of(engine(), engine())));
        assertTrue(ExecReplyRewrite.needless(List.of()));
        assertFalse(ExecReplyRewrite.needless(List.of(engine(), local(AUTH_OK))));
        assertFalse(ExecReplyRewrite.needless(List.of(new ExecReplyRewrite.Queued(null, PORT), engine())));
    }
}
