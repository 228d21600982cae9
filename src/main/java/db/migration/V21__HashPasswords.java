package db.migration;

import dev.kvsim.access.PasswordHash;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Replaces the instances' and accounts' passwords that earlier kvsims stored in clear by their
 * {@link PasswordHash}: a store from before keeps working (the same passwords authenticate) and
 * holds no password any more. In Java because SQL has no portable salted hash.
 */
public class V21__HashPasswords extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        hash(c, "instances", "instance_id");
        hash(c, "accounts", "id");
    }

    private static void hash(Connection c, String table, String key) throws SQLException {
        try (Statement read = c.createStatement();
             ResultSet rows = read.executeQuery("select " + key + ", password from " + table + " where password is not null");
             PreparedStatement write = c.prepareStatement("update " + table + " set password = ? where " + key + " = ?")) {
            while (rows.next()) {
                String stored = rows.getString(2);
                if (!PasswordHash.isHash(stored)) {
                    write.setString(1, PasswordHash.of(stored));
                    write.setString(2, rows.getString(1));
                    write.addBatch();
                }
            }
            write.executeBatch();
        }
    }
}
