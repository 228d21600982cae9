package dev.kvsim.proxy;

import dev.kvsim.Instances;
import dev.kvsim.RawClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connections the endpoint does not serve are answered and closed at once, and count against nothing. */
@QuarkusTest
class RefusedConnectionsTest {

    @Test
    void aClientOutsideTheWhitelistThatSendsNothingIsAnsweredAndClosedAndTakesNoSlot() throws Exception {
        JsonPath i = Instances.create(Map.of("instanceClass", "redis.basic.micro.default",
                "overrides", Map.of("maxConnections", 2)));
        int port = i.getInt("port");
        List<RawClient> open = new ArrayList<>();
        try {
            for (int n = 0; n < 5; n++) {
                RawClient idle = new RawClient(port, "127.0.0.2");
                open.add(idle);
                assertEquals("-ERR illegal address", idle.line(), "the first thing a refused client reads");
                assertTrue(idle.closedByServer(), "then its connection is closed, though it never sent anything");
            }
            for (int n = 0; n < 2; n++) {
                RawClient c = new RawClient(port);
                open.add(c);
                assertEquals("+PONG", c.command("PING").line(), "refused connections take none of the 2 slots");
            }
            try (RawClient third = new RawClient(port)) {
                assertEquals("-ERR max number of clients reached", third.line());
            }
        } finally {
            for (RawClient c : open) {
                c.close();
            }
            Instances.delete(i.getString("instanceId"));
        }
    }
}
