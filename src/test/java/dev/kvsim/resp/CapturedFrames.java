package dev.kvsim.resp;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Replies and pushes exactly as redis-server 7.0.15 sent them (captured from its socket), so that
 * the framing tests check kvsim against the engine's bytes rather than against kvsim's idea of them.
 * {@code DEBUG PROTOCOL <type>} produced the RESP3 samples of each type.
 */
final class CapturedFrames {

    private CapturedFrames() {
    }

    // ---- RESP3 (after HELLO 3) ----
    static final String STRING = "$11\r\nHello World\r\n";
    static final String INTEGER = ":12345\r\n";
    static final String DOUBLE = ",3.141\r\n";
    static final String INFINITY = ",inf\r\n";  // ZINCRBY z inf n
    static final String BIG_NUMBER = "(1234567999999999999999999999999999999\r\n";
    static final String NULL = "_\r\n";
    static final String ARRAY = "*3\r\n:0\r\n:1\r\n:2\r\n";
    static final String SET = "~3\r\n:0\r\n:1\r\n:2\r\n";
    static final String MAP = "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n";
    static final String EMPTY_MAP = "%0\r\n";  // HGETALL of a missing key
    static final String TRUE = "#t\r\n";
    /** The verbatim string's text holds a bare {@code \n}: only its length says where it ends. */
    static final String VERBATIM = "=29\r\ntxt:This is a verbatim\nstring\r\n";
    /** DEBUG PROTOCOL attrib: an attribute map, then the reply it annotates; one reply in all. */
    static final String ATTRIBUTED = "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n"
            + "$39\r\nSome real reply following the attribute\r\n";
    /** DEBUG PROTOCOL push: a push, then the command's reply. */
    static final String PUSH = ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n";
    static final String AFTER_PUSH = "$40\r\nSome real reply following the push reply\r\n";
    /** ZRANGE z 0 -1 WITHSCORES: arrays inside an array. */
    static final String NESTED = "*2\r\n*2\r\n$1\r\nn\r\n,-2\r\n*2\r\n$1\r\nm\r\n,1.5\r\n";
    /** EXEC of SET, LRANGE, INCR on a list, HGETALL. */
    static final String EXEC_RESP3 = "*4\r\n+OK\r\n*2\r\n$1\r\na\r\n$2\r\nbb\r\n"
            + "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n%1\r\n$1\r\nf\r\n$1\r\nv\r\n";
    /** CLIENT TRACKING on, GET k, then another client's SET k. */
    static final String INVALIDATE = ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n";
    /** The RESP3 specification's blob error example (7.0 sends none of its own). */
    static final String BLOB_ERROR = "!21\r\nSYNTAX invalid syntax\r\n";

    // ---- RESP2 ----
    static final String OK = "+OK\r\n";
    static final String QUEUED = "+QUEUED\r\n";
    static final String ERROR = "-ERR unknown command 'NOSUCH', with args beginning with: \r\n";
    static final String NULL_BULK = "$-1\r\n";
    static final String NULL_ARRAY = "*-1\r\n";  // LPOP nokey 2; EXEC after a WATCHed key changed
    static final String EMPTY_ARRAY = "*0\r\n";
    static final String EXEC_RESP2 = "*4\r\n+OK\r\n*2\r\n$1\r\na\r\n$2\r\nbb\r\n"
            + "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n";
    /** PING while subscribed: an ordinary reply that looks like a pub/sub frame. */
    static final String SUBSCRIBED_PONG = "*2\r\n$4\r\npong\r\n$0\r\n\r\n";

    static Buffer buffer(String s) {
        return Buffer.buffer(s.getBytes(StandardCharsets.UTF_8));
    }
}
