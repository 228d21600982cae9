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

@QuarkusTest
class ConnectionCapTest {

    @Test
    void connectionOverTheCapIsRefusedAndClosedUntilOneLeaves() throws Exception {
        JsonPath i = Instances.create(Map.of("instanceClass", "redis.basic.micro.default",
                "overrides", Map.of("maxConnections", 5)));
        int port = i.getInt("port");
        List<RawClient> open = new ArrayList<>();
        try {
            for (int n = 0; n < 5; n++) {
                RawClient c = new RawClient(port);
                c.command("PING");
                assertEquals("+PONG", c.line());
                open.add(c);
            }
            try (RawClient sixth = new RawClient(port)) {
                assertEquals("-ERR max number of clients reached", sixth.line());
                assertTrue(sixth.closedByServer());
            }
            open.remove(0).close();
            RawClient again = null;
            for (int attempt = 0; attempt < 50 && again == null; attempt++) {
                RawClient c = new RawClient(port);
                c.command("PING");
                String reply = c.line();
                if (reply.equals("+PONG")) {
                    again = c;
                } else {
                    assertEquals("-ERR max number of clients reached", reply);
                    c.close();
                    Thread.sleep(20); // the server sees the close a moment after the client
                }
            }
            assertTrue(again != null, "a slot frees when a client leaves");
            open.add(again);
        } finally {
            for (RawClient c : open) {
                c.close();
            }
            Instances.delete(i.getString("instanceId"));
        }
    }
}
