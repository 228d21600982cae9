package dev.kvsim.access;

import dev.kvsim.Instances;
import dev.kvsim.PasswordInstance;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;

import java.util.Map;

import static dev.kvsim.Instances.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The service's password rules (8-32 characters, only letters, digits and !@#$%^&*()_+-=, at
 * least three kinds) for the instance's password, at creation and reset, and for accounts.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PasswordRulesTest {

    static final String TOO_LONG = "Aa1!" + "a".repeat(29);
    static final String LONGEST = "Aa1!" + "a".repeat(28);
    static final String TILDE = "Passw0rd~x";
    static final String TWO_KINDS = "lowercase123";

    static final String LENGTH_MESSAGE = "The password must be 8 to 32 characters long.";
    static final String CHARACTER_MESSAGE = "The password may contain only letters, digits and !@#$%^&*()_+-=; '~' is not allowed.";
    static final String KINDS_MESSAGE = "The password must contain at least three of: upper-case letters, lower-case letters, "
            + "digits, special characters (!@#$%^&*()_+-=).";

    private PasswordInstance instance;
    private String id;
    private int port;

    @BeforeAll
    void createInstance() {
        instance = PasswordInstance.create("redis.master.micro.default", Map.of());
        id = instance.id();
        port = instance.port();
    }

    @AfterAll
    void deleteInstance() {
        instance.close();
    }

    private static void assertMalformed(ValidatableResponse r, String message) {
        r.statusCode(400).body("code", equalTo("InvalidPassword.Malformed")).body("message", equalTo(message));
    }

    private ValidatableResponse createInstance(String password) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("instanceClass", "redis.basic.micro.default", "password", password))
                .post("/api/v1/instances").then();
    }

    private ValidatableResponse createAccount(String name, String password) {
        return Instances.createAccount(id, name, password, "RoleReadWrite");
    }

    private ValidatableResponse resetPassword(String account, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("accountPassword", password))
                .put("/api/v1/instances/" + id + "/accounts/" + account + "/password").then();
    }

    @Test
    void theInstancePasswordFollowsTheRulesAtCreationAndReset() {
        int instances = given().get("/api/v1/instances").then().extract().jsonPath().getList("$").size();
        assertMalformed(createInstance(TOO_LONG), LENGTH_MESSAGE);
        assertMalformed(createInstance(TILDE), CHARACTER_MESSAGE);
        assertMalformed(createInstance(TWO_KINDS), KINDS_MESSAGE);
        assertEquals(instances, given().get("/api/v1/instances").then().extract().jsonPath().getList("$").size(),
                "no instance was created");

        assertMalformed(resetPassword(id, TOO_LONG), LENGTH_MESSAGE);
        assertMalformed(resetPassword(id, TILDE), CHARACTER_MESSAGE);
        assertMalformed(resetPassword(id, TWO_KINDS), KINDS_MESSAGE);
        try (Jedis j = instance.jedis()) {
            assertEquals("PONG", j.ping(), "the instance password did not change");
        }
    }

    @Test
    void accountPasswordsFollowTheRulesAtCreationAndReset() {
        assertMalformed(createAccount("long_pw", TOO_LONG), LENGTH_MESSAGE);
        assertMalformed(createAccount("tilde_pw", TILDE), CHARACTER_MESSAGE);
        assertMalformed(createAccount("weak_pw", TWO_KINDS), KINDS_MESSAGE);
        given().get("/api/v1/instances/" + id + "/accounts").then().body("accountName", equalTo(java.util.List.of(id)));

        createAccount("app", LONGEST).statusCode(201);
        assertMalformed(resetPassword("app", TOO_LONG), LENGTH_MESSAGE);
        assertMalformed(resetPassword("app", TILDE), CHARACTER_MESSAGE);
        assertMalformed(resetPassword("app", TWO_KINDS), KINDS_MESSAGE);
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.auth("app", LONGEST);
            assertEquals("PONG", j.ping(), "32 characters are allowed, and the password did not change");
        } finally {
            given().delete("/api/v1/instances/" + id + "/accounts/app").then().statusCode(204);
        }
    }
}
