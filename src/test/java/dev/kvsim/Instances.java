package dev.kvsim;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import java.util.Map;

import static io.restassured.RestAssured.given;

/** Creates and deletes instances through the admin API for tests. */
public final class Instances {

    private Instances() {
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
