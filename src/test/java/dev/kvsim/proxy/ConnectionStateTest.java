package dev.kvsim.proxy;

import dev.kvsim.PasswordInstance;
import dev.kvsim.RawClient;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;

import static dev.kvsim.PasswordInstance.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Connection states in which the proxy must still know which reply belongs to which command:
 * transactions holding commands the proxy answers itself, pub/sub mode entered and left, and
 * CLIENT REPLY OFF/SKIP. Each test pipelines a command the proxy refuses itself (a reserved
 * command) between engine commands, so a miscount shows as replies out of order.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionStateTest {

    static final String RESERVED = "-ERR command debug not support for normal user";

    private PasswordInstance instance;

    @BeforeAll
    void createInstance() {
        instance = PasswordInstance.create();
    }

    @AfterAll
    void deleteInstance() {
        instance.close();
    }

    private RawClient authenticated() throws Exception {
        return instance.authenticated();
    }

    @Test
    void configGetInsideMultiDoesNotShowTheNodePassword() throws Exception {
        try (RawClient c = authenticated()) {
            c.pipeline(new String[] {"MULTI"}, new String[] {"CONFIG", "GET", "requirepass"},
                    new String[] {"CONFIG", "GET", "port"}, new String[] {"EXEC"});
            assertEquals("+OK", c.line());
            assertEquals("+QUEUED", c.line());
            assertEquals("+QUEUED", c.line());
            assertEquals("*2", c.line());
            assertEquals("*2", c.line());
            assertEquals("requirepass", c.reply());
            assertEquals("", c.reply());
            assertEquals("*2", c.line());
            assertEquals("port", c.reply());
            assertEquals(Integer.toString(instance.port()), c.reply());
        }
    }

    @Test
    void authAndConfigSetInsideMultiAreQueuedAndAnsweredInExec() throws Exception {
        try (RawClient c = authenticated()) {
            c.pipeline(new String[] {"MULTI"}, new String[] {"SET", "tx:k", "1"}, new String[] {"AUTH", PASSWORD},
                    new String[] {"CONFIG", "SET", "maxmemory", "1"}, new String[] {"AUTH", "wrong"},
                    new String[] {"GET", "tx:k"}, new String[] {"EXEC"});
            assertEquals("+OK", c.line());
            for (int i = 0; i < 5; i++) {
                assertEquals("+QUEUED", c.line());
            }
            assertEquals("*5", c.line());
            assertEquals("+OK", c.line());
            assertEquals("+OK", c.line());
            assertEquals("+OK", c.line());
            assertEquals("-WRONGPASS invalid username-password pair", c.line());
            assertEquals("1", c.reply());
            c.command("CONFIG", "GET", "maxmemory");
            assertEquals("*2", c.line());
            assertEquals("maxmemory", c.reply());
            assertFalse("1".equals(c.reply()), "CONFIG SET inside MULTI changed nothing");
        }
    }

    @Test
    void afterTheLastUnsubscribeRepliesAreCountedAgain() throws Exception {
        try (RawClient c = authenticated()) {
            c.command("SUBSCRIBE", "news", "sport");
            for (String ch : new String[] {"news", "sport"}) {
                assertEquals("*3", c.line());
                assertEquals("subscribe", c.reply());
                assertEquals(ch, c.reply());
                c.line();
            }
            c.pipeline(new String[] {"PING"}, new String[] {"UNSUBSCRIBE"}, new String[] {"SET", "ps:k", "v"},
                    new String[] {"DEBUG", "SLEEP", "0"}, new String[] {"GET", "ps:k"});
            assertEquals("*2", c.line());
            assertEquals("pong", c.reply());
            assertEquals("", c.reply());
            for (int i = 0; i < 2; i++) {
                assertEquals("*3", c.line());
                assertEquals("unsubscribe", c.reply());
                c.reply();
                c.line();
            }
            assertEquals("+OK", c.line());
            assertEquals(RESERVED, c.line());
            assertEquals("v", c.reply());
        }
    }

    /** HELLO 3, then SUBSCRIBE to one channel, its confirmation read. */
    private static void subscribeInResp3(RawClient c, String channel) throws Exception {
        c.command("HELLO", "3");
        c.line();  // the HELLO map header; skip its fields
        for (int i = 0; i < 14; i++) {
            c.reply();
        }
        c.command("SUBSCRIBE", channel);
        assertEquals(">3", c.line());
        assertEquals("subscribe", c.reply());
        assertEquals(channel, c.reply());
        assertEquals(":1", c.line());
    }

    /** In RESP3 a reply is never a push, even an array that starts like a pub/sub message. */
    @Test
    void aResp3SubscribersArrayReplyThatLooksLikeAMessageIsAReply() throws Exception {
        try (RawClient c = authenticated(); Jedis other = instance.jedis()) {
            other.del("look:alike");
            other.rpush("look:alike", "message", "news", "hi");
            subscribeInResp3(c, "r3b");
            c.pipeline(new String[] {"LRANGE", "look:alike", "0", "-1"}, new String[] {"DEBUG", "SLEEP", "0"},
                    new String[] {"SET", "look:k", "v"});
            assertEquals("*3", c.line());
            assertEquals("message", c.reply());
            assertEquals("news", c.reply());
            assertEquals("hi", c.reply());
            assertEquals(RESERVED, c.line(), "the refusal after LRANGE's reply");
            assertEquals("+OK", c.line());
        }
    }

    @Test
    void resp3SubscribersGetPushesAndRepliesInOrder() throws Exception {
        try (RawClient c = authenticated(); Jedis publisher = instance.jedis()) {
            subscribeInResp3(c, "r3");
            publisher.publish("r3", "hello");
            // The engine wrote the push before PING's reply, so it is ahead of PONG on the backend
            // socket; the proxy's own refusal of DEBUG must wait for PONG.
            c.pipeline(new String[] {"PING"}, new String[] {"DEBUG", "SLEEP", "0"}, new String[] {"SET", "r3:k", "v"});
            assertEquals(">3", c.line());
            assertEquals("message", c.reply());
            assertEquals("r3", c.reply());
            assertEquals("hello", c.reply());
            assertEquals("+PONG", c.line());
            assertEquals(RESERVED, c.line());
            assertEquals("+OK", c.line());
        }
    }

    @Test
    void clientReplyOffSilencesTheProxyToo() throws Exception {
        try (RawClient c = authenticated()) {
            c.pipeline(new String[] {"CLIENT", "REPLY", "OFF"}, new String[] {"SET", "off:k", "1"},
                    new String[] {"DEBUG", "SLEEP", "0"}, new String[] {"CLIENT", "REPLY", "ON"},
                    new String[] {"DEBUG", "SLEEP", "0"}, new String[] {"GET", "off:k"});
            assertEquals("+OK", c.line());
            assertEquals(RESERVED, c.line());
            assertEquals("1", c.reply());
        }
    }

    @Test
    void clientReplySkipSilencesOneCommand() throws Exception {
        try (RawClient c = authenticated()) {
            c.pipeline(new String[] {"CLIENT", "REPLY", "SKIP"}, new String[] {"SET", "skip:k", "2"},
                    new String[] {"CLIENT", "REPLY", "SKIP"}, new String[] {"DEBUG", "SLEEP", "0"},
                    new String[] {"DEBUG", "SLEEP", "0"}, new String[] {"GET", "skip:k"});
            assertEquals(RESERVED, c.line());
            assertEquals("2", c.reply());
        }
    }

    @Test
    void resetLeavesPubSubModeAndAsksForAuthenticationAgain() throws Exception {
        try (RawClient c = authenticated()) {
            c.command("SUBSCRIBE", "rs");
            assertEquals("*3", c.line());
            c.reply();
            c.reply();
            c.line();
            c.pipeline(new String[] {"RESET"}, new String[] {"GET", "k"}, new String[] {"AUTH", PASSWORD},
                    new String[] {"DEBUG", "SLEEP", "0"}, new String[] {"PING"});
            assertEquals("+RESET", c.line());
            assertEquals("-NOAUTH Authentication required.", c.line());
            assertEquals("+OK", c.line());
            assertEquals(RESERVED, c.line());
            assertEquals("+PONG", c.line());
        }
    }
}
