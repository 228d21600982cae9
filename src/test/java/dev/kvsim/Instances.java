package dev.kvsim;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;
import io.restassured.path.json.JsonPath;

import java.util.Map;


/** Creates and deletes instances through the admin API for tests. */
public final class Instances {

    private Instances() {
    }

    /** A request to the admin API; usable in @BeforeAll/@AfterAll too, where RestAssured's port is not set. */
    public static RequestSpecification given() {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        return io.restassured.RestAssured.given().port(port);
    }

    /** Creates an instance and waits until it is Normal; returns its JSON view. */
    public static JsonPath create(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/instances?wait=true")
                .then().statusCode(201)
                .extract().jsonPath();
    }

    public static JsonPath createSingle() {
        return create(Map.of("instanceClass", "redis.basic.micro.default"));
    }

    public static void delete(String instanceId) {
        given().when().delete("/api/v1/instances/" + instanceId).then().statusCode(204);
    }
}
