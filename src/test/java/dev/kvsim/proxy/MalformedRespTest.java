package dev.kvsim.proxy;

import dev.kvsim.Instances;
import dev.kvsim.PasswordInstance;
import dev.kvsim.RawClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad bytes get the engine's protocol error and a close; nobody else notices. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRespTest {

    private String id;
    private int port;
    private PasswordInstance locked;

    @BeforeAll
    void create() {
        JsonPath i = Instances.createSingle();
        id = i.getString("instanceId");
        port = i.getInt("port");
        locked = PasswordInstance.create();
    }

    @AfterAll
    void delete() {
        Instances.delete(id);
        locked.close();
    }

    private void assertProtocolError(int port, String bytes, String expected) throws Exception {
        try (RawClient bystander = port == locked.port() ? locked.authenticated() : new RawClient(port);
             RawClient c = new RawClient(port)) {
            c.send(bytes);
            assertEquals("-ERR Protocol error: " + expected, c.line());
            assertTrue(c.closedByServer(), "closed after the protocol error");
            bystander.command("PING");
            assertEquals("+PONG", bystander.line(), "other clients are unaffected");
        }
    }

    @Test
    void badTypeByteInsideAnArray() throws Exception {
        assertProtocolError(port, "*1\r\n+PING\r\n", "expected '$', got '+'");
    }

    @Test
    void garbageWhereACommandShouldStart() throws Exception {
        assertProtocolError(port, "\u0000\u00ff\u0001garbage\r\n", "expected '*' or an inline command, got byte 0x00");
        assertProtocolError(port, ":12\r\n", "expected '*' or an inline command, got ':'");
    }

    @Test
    void negativeAndAbsurdLengths() throws Exception {
        assertProtocolError(port, "*1\r\n$-5\r\n", "invalid bulk length");
        assertProtocolError(port, "*1\r\n$99999999999\r\n", "invalid bulk length");
        assertProtocolError(port, "*99999999999999\r\n", "invalid multibulk length");
        assertProtocolError(port, "*x\r\n", "invalid multibulk length");
    }

    @Test
    void unauthenticatedClientsCannotAnnounceHugeRequests() throws Exception {
        assertProtocolError(locked.port(), "*1000\r\n", "unauthenticated multibulk length");
        assertProtocolError(locked.port(), "*2\r\n$4\r\nAUTH\r\n$100000\r\n", "unauthenticated bulk length");
    }

    @Test
    void anAuthAndALargeValueInOneWriteWork() throws Exception {
        String value = "v".repeat(20_000);
        try (RawClient c = new RawClient(locked.port())) {
            c.pipeline(new String[] {"AUTH", PasswordInstance.PASSWORD}, new String[] {"SET", "big", value},
                    new String[] {"STRLEN", "big"});
            assertEquals("+OK", c.line());
            assertEquals("+OK", c.line(), "the limits before AUTH end with the AUTH, as on the engine");
            assertEquals(":20000", c.line());
        }
    }

    @Test
    void unbalancedQuotesInAnInlineCommand() throws Exception {
        assertProtocolError(port, "SET \"a b\r\n", "unbalanced quotes in request");
    }

    @Test
    void inlineCommandsWork() throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.send("SET inline \"two words\"\r\nGET inline\r\nPING\r\n");
            assertEquals("+OK", c.line());
            assertEquals("two words", c.reply());
            assertEquals("+PONG", c.line());
        }
    }

    @Test
    void commandsSplitAcrossManyWritesArriveWhole() throws Exception {
        try (RawClient c = new RawClient(port)) {
            String cmd = "*3\r\n$3\r\nSET\r\n$5\r\nsplit\r\n$10\r\n0123456789\r\n*2\r\n$3\r\nGET\r\n$5\r\nsplit\r\n";
            for (char ch : cmd.toCharArray()) {
                c.send(String.valueOf(ch));
            }
            assertEquals("+OK", c.line());
            assertEquals("0123456789", c.reply());
        }
    }
}
