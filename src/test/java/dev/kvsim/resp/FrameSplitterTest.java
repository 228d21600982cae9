package dev.kvsim.resp;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.kvsim.resp.CapturedFrames.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Whole top-level frames out of an engine connection's reads, however the reads cut them. */
class FrameSplitterTest {

    /** What a subscribed RESP3 connection and a RESP2 one may read, frame by frame. */
    private static final List<String> FRAMES = List.of(
            ">3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n",
            ">4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$2\r\nhi\r\n",
            PUSH, AFTER_PUSH, ATTRIBUTED, VERBATIM, NESTED, EXEC_RESP3, INVALIDATE, NULL, BIG_NUMBER,
            "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n", SUBSCRIBED_PONG, NULL_BULK, EMPTY_ARRAY, ERROR);

    private static String stream() {
        return String.join("", FRAMES);
    }

    private static String text(Buffer b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void twoReadsCutAtEveryByteGiveEveryFrameWholeAndInOrder() {
        Buffer all = buffer(stream());
        for (int cut = 0; cut <= all.length(); cut++) {
            FrameSplitter splitter = new FrameSplitter();
            List<String> got = new ArrayList<>();
            splitter.feed(all.getBuffer(0, cut), f -> got.add(text(f)));
            splitter.feed(all.getBuffer(cut, all.length()), f -> got.add(text(f)));
            assertEquals(FRAMES, got, "cut at byte " + cut);
        }
    }

    @Test
    void oneByteReadsGiveEachFrameWhenItsLastByteArrives() {
        Buffer all = buffer(stream());
        FrameSplitter splitter = new FrameSplitter();
        List<String> got = new ArrayList<>();
        int frame = 0;
        int end = FRAMES.get(0).length();
        for (int i = 0; i < all.length(); i++) {
            splitter.feed(all.getBuffer(i, i + 1), f -> got.add(text(f)));
            if (i + 1 == end) {
                assertEquals(FRAMES.subList(0, frame + 1), got, "byte " + i);
                if (++frame < FRAMES.size()) {
                    end += FRAMES.get(frame).length();
                }
            } else {
                assertEquals(frame, got.size(), "no frame ends at byte " + i);
            }
        }
    }

    @Test
    void threeReadsCutInsideTheSameFrameGiveItOnce() {
        Buffer all = buffer(NESTED + OK);
        FrameSplitter splitter = new FrameSplitter();
        List<String> got = new ArrayList<>();
        splitter.feed(all.getBuffer(0, 5), f -> got.add(text(f)));
        splitter.feed(all.getBuffer(5, 20), f -> got.add(text(f)));
        splitter.feed(all.getBuffer(20, all.length()), f -> got.add(text(f)));
        assertEquals(List.of(NESTED, OK), got);
    }

    @Test
    void aStopHandsBackTheBytesAfterTheLastFrameAndKeepsNothing() {
        FrameSplitter splitter = new FrameSplitter();
        List<String> got = new ArrayList<>();
        String unsubscribed = ">3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:0\r\n";
        // the read ends inside the unsubscribe confirmation
        assertNull(splitter.feedUntil(buffer(INVALIDATE + unsubscribed.substring(0, 10)), f -> got.add(text(f))));
        Buffer rest = splitter.feedUntil(buffer(unsubscribed.substring(10) + OK + "$5\r\nhel"), f -> {
            got.add(text(f));
            return !text(f).startsWith(">3\r\n$11\r\nunsubscribe");
        });
        assertEquals(List.of(INVALIDATE, unsubscribed), got);
        assertEquals(OK + "$5\r\nhel", text(rest), "what follows the stop, unread");
        // the splitter kept no part of it: the next read starts a frame of its own
        List<String> after = new ArrayList<>();
        splitter.feed(buffer(QUEUED), f -> after.add(text(f)));
        assertEquals(List.of(QUEUED), after);
    }

    @Test
    void aStopOnTheLastFrameHandsBackNothing() {
        FrameSplitter splitter = new FrameSplitter();
        Buffer rest = splitter.feedUntil(buffer(OK), f -> false);
        assertEquals(0, rest.length());
        assertNull(splitter.feedUntil(buffer(OK + OK), f -> true), "every frame handed out");
    }
}
