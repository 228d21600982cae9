package dev.kvsim.resp;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kvsim.resp.CapturedFrames.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reply boundaries in the engine's output, checked against the engine's own bytes. */
class RespReplyScannerTest {

    /** One reply each, and the type byte the scanner must report for it. */
    private record Reply(String bytes, char type) {
    }

    private static final List<Reply> REPLIES = List.of(
            new Reply(STRING, '$'), new Reply(INTEGER, ':'), new Reply(DOUBLE, ','), new Reply(INFINITY, ','),
            new Reply(BIG_NUMBER, '('), new Reply(NULL, '_'), new Reply(ARRAY, '*'), new Reply(SET, '~'),
            new Reply(MAP, '%'), new Reply(EMPTY_MAP, '%'), new Reply(TRUE, '#'), new Reply(VERBATIM, '='),
            new Reply(ATTRIBUTED, '$'), new Reply(NESTED, '*'), new Reply(EXEC_RESP3, '*'), new Reply(BLOB_ERROR, '!'),
            new Reply(OK, '+'), new Reply(QUEUED, '+'), new Reply(ERROR, '-'), new Reply(NULL_BULK, '$'),
            new Reply(NULL_ARRAY, '*'), new Reply(EMPTY_ARRAY, '*'), new Reply(EXEC_RESP2, '*'),
            new Reply(SUBSCRIBED_PONG, '*'));

    @Test
    void everyKindOfReplyIsOneReplyEndingAtItsLastByte() {
        for (Reply r : REPLIES) {
            RespReplyScanner scanner = new RespReplyScanner();
            // a second reply behind it must not be read into it
            Buffer b = buffer(r.bytes() + OK);
            assertEquals(r.bytes().length(), scanner.scan(b, 0, 1), r.bytes());
            assertEquals(1, scanner.completed(), r.bytes());
            assertEquals(r.type(), (char) scanner.lastType(), r.bytes());
        }
    }

    @Test
    void aStreamCutAtEveryByteCountsEachReplyOnceWhenItsLastByteArrives() {
        StringBuilder stream = new StringBuilder();
        int[] ends = new int[REPLIES.size()];
        for (int k = 0; k < REPLIES.size(); k++) {
            stream.append(REPLIES.get(k).bytes());
            ends[k] = stream.length();
        }
        Buffer all = buffer(stream.toString());
        for (int cut = 0; cut <= all.length(); cut++) {
            RespReplyScanner scanner = new RespReplyScanner();
            assertEquals(cut, scanner.scan(all.getBuffer(0, cut), 0, Integer.MAX_VALUE));
            int first = scanner.completed();
            int whole = 0;
            while (whole < ends.length && ends[whole] <= cut) {
                whole++;
            }
            assertEquals(whole, first, "replies complete in the first " + cut + " bytes");
            assertEquals(all.length() - cut, scanner.scan(all.getBuffer(cut, all.length()), 0, Integer.MAX_VALUE));
            assertEquals(REPLIES.size() - whole, scanner.completed(), "the rest, cut at " + cut);
        }
    }

    @Test
    void aStreamFedOneByteAtATimeCompletesEachReplyOnItsLastByte() {
        StringBuilder stream = new StringBuilder();
        for (Reply r : REPLIES) {
            stream.append(r.bytes());
        }
        Buffer all = buffer(stream.toString());
        RespReplyScanner scanner = new RespReplyScanner();
        int reply = 0;
        int end = REPLIES.get(0).bytes().length();
        for (int i = 0; i < all.length(); i++) {
            scanner.scan(all.getBuffer(i, i + 1), 0, Integer.MAX_VALUE);
            boolean last = i + 1 == end;
            assertEquals(last ? 1 : 0, scanner.completed(), "byte " + i);
            if (last) {
                assertEquals(REPLIES.get(reply).type(), (char) scanner.lastType());
                if (++reply < REPLIES.size()) {
                    end += REPLIES.get(reply).bytes().length();
                }
            }
        }
        assertEquals(REPLIES.size(), reply);
    }

    @Test
    void theLimitStopsRightAfterThatManyRepliesAndTheNextScanGoesOn() {
        Buffer b = buffer(OK + NESTED + STRING + NULL_ARRAY);
        RespReplyScanner scanner = new RespReplyScanner();
        int afterTwo = OK.length() + NESTED.length();
        assertEquals(afterTwo, scanner.scan(b, 0, 2));
        assertEquals(2, scanner.completed());
        assertEquals('*', (char) scanner.lastType());
        assertEquals(afterTwo + STRING.length(), scanner.scan(b, afterTwo, 1));
        assertEquals(1, scanner.completed());
        assertEquals('$', (char) scanner.lastType());
        assertEquals(b.length(), scanner.scan(b, afterTwo + STRING.length(), 5));
        assertEquals(1, scanner.completed(), "only one reply was left");
    }

    @Test
    void aLimitReachedByABulkStringStopsAtItsEnd() {
        Buffer b = buffer(VERBATIM + VERBATIM);
        RespReplyScanner scanner = new RespReplyScanner();
        assertEquals(VERBATIM.length(), scanner.scan(b, 0, 1));
        assertEquals(1, scanner.completed());
    }

    @Test
    void pushesAreNotRepliesUnlessEveryFrameIsCounted() {
        Buffer b = buffer(PUSH + AFTER_PUSH + INVALIDATE + OK);
        RespReplyScanner replies = new RespReplyScanner();
        assertEquals(b.length(), replies.scan(b, 0, Integer.MAX_VALUE));
        assertEquals(2, replies.completed(), "the push reply and +OK");
        assertEquals('+', (char) replies.lastType());
        // limit 1: the push before the first reply is passed over, the scan stops after that reply
        assertEquals(PUSH.length() + AFTER_PUSH.length(), new RespReplyScanner().scan(b, 0, 1));

        RespReplyScanner frames = new RespReplyScanner(true);
        assertEquals(PUSH.length(), frames.scan(b, 0, 1));
        assertEquals('>', (char) frames.lastType());
        assertEquals(b.length(), frames.scan(b, PUSH.length(), Integer.MAX_VALUE));
        assertEquals(3, frames.completed());
    }

    @Test
    void deeplyNestedArraysAreOneReply() {
        // 40 levels: deeper than the scanner's first stack of 16
        String deep = "*1\r\n".repeat(40) + "*2\r\n" + STRING + MAP;
        RespReplyScanner scanner = new RespReplyScanner();
        Buffer b = buffer(deep + INTEGER);
        assertEquals(deep.length(), scanner.scan(b, 0, 1));
        assertEquals(1, scanner.completed());
        assertEquals(b.length(), scanner.scan(b, deep.length(), 1));
        assertEquals(':', (char) scanner.lastType());
    }

    @Test
    void anAttributeInsideAnArrayIsNotOneOfItsElements() {
        // RESP3 specification: an attribute may precede any element; the array still holds two
        String reply = "*2\r\n|1\r\n+ttl\r\n:3600\r\n$1\r\na\r\n:2\r\n";
        RespReplyScanner scanner = new RespReplyScanner();
        assertEquals(reply.length(), scanner.scan(buffer(reply + OK), 0, 1));
        assertEquals(1, scanner.completed());
        assertEquals('*', (char) scanner.lastType());
    }

    @Test
    void aBulkStringHoldingRespIsNotReadAsFrames() {
        String value = "*3\r\n$1\r\nx\r\n";
        String reply = "$" + value.length() + "\r\n" + value + "\r\n";
        RespReplyScanner scanner = new RespReplyScanner();
        assertEquals(reply.length(), scanner.scan(buffer(reply + OK), 0, 1));
        assertEquals('$', (char) scanner.lastType());
    }
}
