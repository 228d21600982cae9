package dev.kvsim.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class ClassApiTest {

    @Test
    void listsEveryClassOfTheCatalog() {
        given().when().get("/api/v1/classes").then().statusCode(200)
                .body("$", hasSize(47))
                .body("name", hasItems("redis.master.small.default", "redis.basic.8xlarge.default",
                        "redis.master.64g.2017", "redis.basic.high.32g.2017",
                        "redis.logic.sharding.16g.16db.0rodb.16proxy.default"));
    }

    @Test
    void showsOneClassWithItsFigures() {
        given().when().get("/api/v1/classes/redis.master.64g.2017").then().statusCode(200)
                .body("architecture", equalTo("standard"))
                .body("nodeType", equalTo("double"))
                .body("memoryMb", equalTo(65536))
                .body("maxConnections", equalTo(20000))
                .body("bandwidthMBps", equalTo(48))
                .body("qps", equalTo(80000))
                .body("$", not(hasKey("dualReplica")))
                .body("$", not(hasKey("cluster")));
        given().when().get("/api/v1/classes/redis.logic.sharding.2g.8db.0rodb.8proxy.default").then().statusCode(200)
                .body("architecture", equalTo("cluster"))
                .body("shards", equalTo(8))
                .body("proxies", equalTo(8))
                .body("memoryMb", equalTo(16384))
                .body("maxConnections", equalTo(80000))
                .body("bandwidthMBps", equalTo(384))
                .body("qps", equalTo(640000));
    }

    @Test
    void unknownClassIs404WithTheServiceEnvelope() {
        given().when().get("/api/v1/classes/redis.master.huge").then().statusCode(404)
                .body("code", equalTo("InvalidInstanceClass.NotFound"))
                .body("message", equalTo("The instance class 'redis.master.huge' does not exist."))
                .body("requestId", org.hamcrest.Matchers.notNullValue());
    }
}
