package dev.kvsim.resp;

import org.junit.jupiter.api.Test;

import static dev.kvsim.resp.CapturedFrames.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pub/sub frames told from replies, on the frames redis-server 7.0.15 sends a subscribed connection. */
class PubSubFrameTest {

    /** Classified as the first frame of a connection (no earlier confirmation). */
    private static void assertKind(int expected, String frame) {
        assertKinds(new PubSubFrame(), expected, frame);
    }

    /** Classified after the frames this connection's classifier has seen. */
    private static void assertKinds(PubSubFrame connection, int expected, String frame) {
        assertEquals(expected, connection.classify(buffer(frame)), frame);
    }

    @Test
    void resp2MessagesAndConfirmationsArePubSubFrames() {
        assertKind(PubSubFrame.PUBSUB, "*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n");
        assertKind(PubSubFrame.PUBSUB, "*3\r\n$10\r\npsubscribe\r\n$2\r\nn*\r\n:2\r\n");
        assertKind(PubSubFrame.PUBSUB, "*3\r\n$10\r\nssubscribe\r\n$5\r\nsnews\r\n:1\r\n");
        assertKind(PubSubFrame.PUBSUB, "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n");
        assertKind(PubSubFrame.PUBSUB, "*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$2\r\nhi\r\n");
        assertKind(PubSubFrame.PUBSUB, "*3\r\n$8\r\nsmessage\r\n$5\r\nsnews\r\n$2\r\nyo\r\n");
        // UNSUBSCRIBE of a, b: the first confirmation leaves one subscription
        assertKind(PubSubFrame.PUBSUB, "*3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:1\r\n");
    }

    @Test
    void resp2UnsubscribeConfirmationsWithCountZeroEndPubSubMode() {
        assertKind(PubSubFrame.LAST_UNSUBSCRIBE, "*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:0\r\n");
        assertKind(PubSubFrame.LAST_UNSUBSCRIBE, "*3\r\n$12\r\npunsubscribe\r\n$2\r\np*\r\n:0\r\n");
        assertKind(PubSubFrame.LAST_UNSUBSCRIBE, "*3\r\n$12\r\nsunsubscribe\r\n$1\r\ns\r\n:0\r\n");
        // UNSUBSCRIBE with no subscription at all: the channel is a null bulk
        assertKind(PubSubFrame.LAST_UNSUBSCRIBE, "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n");
        assertKind(PubSubFrame.LAST_UNSUBSCRIBE, "*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:0\r\n");
    }

    @Test
    void resp2RepliesWhileSubscribedAreReplies() {
        assertKind(PubSubFrame.REPLY, SUBSCRIBED_PONG);
        assertKind(PubSubFrame.REPLY, "*2\r\n$4\r\npong\r\n$1\r\nx\r\n");
        assertKind(PubSubFrame.REPLY, ERROR);
        assertKind(PubSubFrame.REPLY, OK);
        assertKind(PubSubFrame.REPLY, NULL_ARRAY);
        assertKind(PubSubFrame.REPLY, EMPTY_ARRAY);
        assertKind(PubSubFrame.REPLY, EXEC_RESP2);
        assertKind(PubSubFrame.REPLY, ARRAY);
        // a first element longer than any pub/sub kind
        assertKind(PubSubFrame.REPLY, "*1\r\n$13\r\nsunsubscribers\r\n");
    }

    @Test
    void resp3PushesAreAllPubSubFramesAndTheLastUnsubscribeEndsTheMode() {
        assertKind(PubSubFrame.PUBSUB, ">3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n");
        assertKind(PubSubFrame.PUBSUB, ">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n");
        assertKind(PubSubFrame.PUBSUB, ">4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$2\r\nhi\r\n");
        assertKind(PubSubFrame.PUBSUB, ">3\r\n$8\r\nsmessage\r\n$5\r\nsnews\r\n$2\r\nyo\r\n");
        assertKind(PubSubFrame.PUBSUB, ">3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:1\r\n");
        // pushes that are not pub/sub are not replies either
        assertKind(PubSubFrame.PUBSUB, INVALIDATE);
        assertKind(PubSubFrame.PUBSUB, PUSH);
        assertKind(PubSubFrame.LAST_UNSUBSCRIBE, ">3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:0\r\n");
        assertKind(PubSubFrame.LAST_UNSUBSCRIBE, ">3\r\n$12\r\nsunsubscribe\r\n$1\r\ns\r\n:0\r\n");
        // with no subscription at all: a RESP3 null where the channel goes
        assertKind(PubSubFrame.LAST_UNSUBSCRIBE, ">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n");
        assertKind(PubSubFrame.LAST_UNSUBSCRIBE, ">3\r\n$12\r\npunsubscribe\r\n_\r\n:0\r\n");
    }

    @Test
    void resp3RepliesWhileSubscribedAreReplies() {
        PubSubFrame c = new PubSubFrame();
        assertKinds(c, PubSubFrame.PUBSUB, ">3\r\n$9\r\nsubscribe\r\n$3\r\nr3b\r\n:1\r\n");
        assertKinds(c, PubSubFrame.REPLY, "+PONG\r\n");
        assertKinds(c, PubSubFrame.REPLY, "$1\r\nx\r\n");
        assertKinds(c, PubSubFrame.REPLY, MAP);
        assertKinds(c, PubSubFrame.REPLY, NULL);
        assertKinds(c, PubSubFrame.REPLY, EXEC_RESP3);
        // LRANGE of a list holding message, news, hi: an array, so a reply, however it starts
        assertKinds(c, PubSubFrame.REPLY, "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n");
        assertKinds(c, PubSubFrame.REPLY, "*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:0\r\n");
        assertKinds(c, PubSubFrame.PUBSUB, ">3\r\n$7\r\nmessage\r\n$3\r\nr3b\r\n$2\r\nhi\r\n");
    }

    /** SUBSCRIBE a, SSUBSCRIBE s, SUNSUBSCRIBE s, UNSUBSCRIBE a: the engine leaves pub/sub mode only at the end. */
    @Test
    void shardChannelsAreCountedApartFromChannelsAndPatterns() {
        for (char type : new char[] {'*', '>'}) {
            PubSubFrame c = new PubSubFrame();
            assertKinds(c, PubSubFrame.PUBSUB, type + "3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n");
            assertKinds(c, PubSubFrame.PUBSUB, type + "3\r\n$10\r\nssubscribe\r\n$1\r\ns\r\n:1\r\n");
            assertKinds(c, PubSubFrame.PUBSUB, type + "3\r\n$12\r\nsunsubscribe\r\n$1\r\ns\r\n:0\r\n");
            assertKinds(c, PubSubFrame.PUBSUB, type + "3\r\n$7\r\nmessage\r\n$1\r\na\r\n$2\r\nhi\r\n");
            assertKinds(c, PubSubFrame.LAST_UNSUBSCRIBE, type + "3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:0\r\n");
        }
        // the other way round: UNSUBSCRIBE a first
        PubSubFrame c = new PubSubFrame();
        assertKinds(c, PubSubFrame.PUBSUB, "*3\r\n$10\r\npsubscribe\r\n$2\r\np*\r\n:1\r\n");
        assertKinds(c, PubSubFrame.PUBSUB, "*3\r\n$10\r\nssubscribe\r\n$1\r\ns\r\n:1\r\n");
        assertKinds(c, PubSubFrame.PUBSUB, "*3\r\n$12\r\npunsubscribe\r\n$2\r\np*\r\n:0\r\n");
        assertKinds(c, PubSubFrame.REPLY, SUBSCRIBED_PONG);
        assertKinds(c, PubSubFrame.LAST_UNSUBSCRIBE, "*3\r\n$12\r\nsunsubscribe\r\n$1\r\ns\r\n:0\r\n");
    }
}
