package dev.kvsim.access;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store written by an earlier kvsim, with passwords in clear, upgraded by kvsim's own migrations:
 * afterwards it holds only hashes, and the same passwords still check.
 */
class PasswordStoreUpgradeTest {

    @Test
    void clearPasswordsOfAnEarlierStoreAreHashedAndStillCheck() throws Exception {
        String url = "jdbc:h2:mem:upgrade-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        Flyway.configure().dataSource(url, "kvsim", "kvsim").target("8").load().migrate();  // the store as kvsim left it before
        try (Connection c = DriverManager.getConnection(url, "kvsim", "kvsim"); Statement s = c.createStatement()) {
            s.execute("insert into instances (instance_id, name, instance_class, status, port, password, vpc_auth_mode,"
                    + " internal_password, created_at) values ('r-aaaaaaaaaaaaaaaaaa', 'a', 'redis.master.micro.default',"
                    + " 'Normal', 40001, 'Passw0rd!', 'Open', 'internal-secret', current_timestamp)");
            s.execute("insert into instances (instance_id, name, instance_class, status, port, password, vpc_auth_mode,"
                    + " internal_password, created_at) values ('r-bbbbbbbbbbbbbbbbbb', 'b', 'redis.master.micro.default',"
                    + " 'Normal', 40002, null, 'Close', 'internal-secret-2', current_timestamp)");
            s.execute("insert into accounts (id, instance_id, name, password, privilege, engine_password, created_at) values"
                    + " ('r-aaaaaaaaaaaaaaaaaa/reporting', 'r-aaaaaaaaaaaaaaaaaa', 'reporting', 'Reader0nly!', 'RoleReadOnly',"
                    + " 'engine-secret', current_timestamp)");

            Flyway.configure().dataSource(url, "kvsim", "kvsim").load().migrate();

            String instance = one(s, "select password from instances where instance_id = 'r-aaaaaaaaaaaaaaaaaa'");
            String account = one(s, "select password from accounts where id = 'r-aaaaaaaaaaaaaaaaaa/reporting'");
            assertTrue(PasswordHash.isHash(instance), instance);
            assertTrue(PasswordHash.isHash(account), account);
            assertFalse(instance.contains("Passw0rd!") || account.contains("Reader0nly!"));
            assertTrue(PasswordHash.matches(instance, "Passw0rd!"));
            assertFalse(PasswordHash.matches(instance, "Passw0rd?"));
            assertTrue(PasswordHash.matches(account, "Reader0nly!"));
            assertNull(one(s, "select password from instances where instance_id = 'r-bbbbbbbbbbbbbbbbbb'"), "password-free stays so");
            assertEquals("internal-secret", one(s, "select internal_password from instances where instance_id = 'r-aaaaaaaaaaaaaaaaaa'"),
                    "kvsim's node password stays in clear: the nodes are configured with it");
        }
    }

    @Test
    void aHashIsSaltedAndChecksOnlyItsPassword() {
        String a = PasswordHash.of("Passw0rd!");
        String b = PasswordHash.of("Passw0rd!");
        assertFalse(a.equals(b), "two hashes of one password differ by their salt");
        assertTrue(PasswordHash.matches(a, "Passw0rd!") && PasswordHash.matches(b, "Passw0rd!"));
        assertFalse(PasswordHash.matches(a, "passw0rd!"));
        assertFalse(PasswordHash.matches(a, ""));
        assertFalse(PasswordHash.matches("Passw0rd!", "Passw0rd!"), "a clear value is no hash: nothing matches it");
        assertFalse(PasswordHash.matches(null, "x"));
        assertNull(PasswordHash.of(null));
    }

    private static String one(Statement s, String sql) throws Exception {
        try (ResultSet r = s.executeQuery(sql)) {
            assertTrue(r.next());
            return r.getString(1);
        }
    }
}
