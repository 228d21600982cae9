package dev.kvsim.rkvstore;

import com.aliyun.tea.TeaException;
import dev.kvsim.Instances;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.Map;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kvsim on the Redis 6.2 it bundles: a 7.0 instance is refused at create with the engine named and how to point
 * kvsim at another; the default is 6.0, which the 6.2 engine runs as 6.0.20 (6.2's GETDEL refused).
 */
@QuarkusTest
@TestProfile(BundledEngineProfile.class)
class RkvOlderEngineTest {

    @Test
    void aVersionNewerThanTheEngineIsRefusedAtCreateNamingTheEngine() {
        Instances.given().contentType(ContentType.JSON)
                .body(Map.of("instanceClass", "redis.basic.micro.default", "majorVersion", "7.0"))
                .when().post("/api/v1/instances").then().statusCode(400).body("code", equalTo("InvalidParameter"))
                .body("message", allOf(containsString("The engine version 7.0 is newer than the engine kvsim runs: "),
                        containsString("(Redis 6.2."), containsString(", configured by kvsim.engine.path), which serves 4.0, 5.0, 6.0."),
                        containsString("point kvsim at a redis-server 7.0 or newer with kvsim.engine.path")));
        TeaException e = assertThrows(TeaException.class, () -> RkvClients.sdk("test", "test", null).createInstance(
                new com.aliyun.r_kvstore20150101.models.CreateInstanceRequest().setRegionId("cn-hangzhou")
                        .setInstanceClass("redis.basic.micro.default").setEngineVersion("7.0")));
        assertEquals("InvalidParameter", e.getCode());
        assertTrue(e.getMessage().contains("kvsim.engine.path"), e.getMessage());
    }

    @Test
    void theDefaultIsTheEnginesOwnLineAndRunsAsItsLastRelease() {
        var created = Instances.create(Map.of("instanceClass", "redis.basic.micro.default"));
        String id = created.getString("instanceId");
        try (Jedis j = new Jedis("127.0.0.1", created.getInt("port"))) {
            assertEquals("6.0", created.getString("majorVersion"));
            assertTrue(created.getString("engineVersion").startsWith("6.2."), created.getString("engineVersion"));
            j.rpush("l", "a");
            assertEquals("ERR unknown command `GETDEL`, with args beginning with: `l`, ",
                    assertThrows(JedisDataException.class, () -> j.getDel("l")).getMessage());
            assertEquals(0L, j.lpos("l", "a"));
            assertTrue(j.info("server").contains("redis_version:6.0.20\r\n"));
        } finally {
            Instances.delete(id);
        }
    }
}
