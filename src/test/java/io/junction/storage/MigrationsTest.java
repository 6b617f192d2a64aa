package io.junction.storage;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schema is created by versioned migrations, once; restarts find it up to date and change nothing. */
class MigrationsTest {

  @Test
  void migrationsRunOnceAndAreIdempotentAcrossRestarts() throws Exception {
    String db = TestPostgres.newDatabase();
    try {
      try (JunctionTestKit first = JunctionTestKit.builder().database(db).start()) {
        assertThat(first.admin("/health/ready").statusCode()).isEqualTo(200);
      }
      String before = snapshot(db);
      try (JunctionTestKit second = JunctionTestKit.builder().database(db).start()) {
        assertThat(second.admin("/health/ready").statusCode()).isEqualTo(200);
      }
      assertThat(snapshot(db)).isEqualTo(before);
      assertThat(query(db, "SELECT count(*) FROM flyway_schema_history WHERE success")).isEqualTo(
        String.valueOf(new java.io.File("src/main/resources/db/migration").list((dir, name) -> name.matches("V\\d+__.*\\.sql")).length));
      assertThat(query(db, "SELECT count(*) FROM roles WHERE built_in")).isEqualTo("2");
      assertThat(query(db, "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public'"))
        .isEqualTo("api_keys,audit_archives,audit_log,flyway_schema_history,outbox,permissions,refresh_tokens,role_permissions,roles,route_revisions,routes,service_revisions,services,signing_keys,user_roles,users");
    } finally {
      TestPostgres.dropDatabase(db);
    }
  }

  @Test
  void auditLogRefusesUpdateDeleteAndTruncate() throws Exception {
    String db = TestPostgres.newDatabase();
    try {
      try (JunctionTestKit kit = JunctionTestKit.builder().database(db).start()) {
        kit.vertx().eventBus().request("junction.audit.record",
          new io.vertx.core.json.JsonObject().put("actor", "test").put("action", "test.write").put("outcome", "success"))
          .await(java.time.Duration.ofSeconds(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      assertThatThrownBy(() -> execute(db, "UPDATE audit_log SET actor = 'mallory'")).hasMessageContaining("append-only: UPDATE refused");
      assertThatThrownBy(() -> execute(db, "DELETE FROM audit_log")).hasMessageContaining("append-only: DELETE refused");
      assertThatThrownBy(() -> execute(db, "TRUNCATE audit_log")).hasMessageContaining("append-only: TRUNCATE refused");
      assertThat(query(db, "SELECT count(*) FROM audit_log WHERE action = 'test.write'")).isEqualTo("1");
    } finally {
      TestPostgres.dropDatabase(db);
    }
  }

  private static String snapshot(String db) throws SQLException {
    return query(db, "SELECT string_agg(version || ':' || checksum || ':' || success, ',') FROM flyway_schema_history")
      + "|" + query(db, "SELECT count(*) FROM permissions") + "|" + query(db, "SELECT count(*) FROM role_permissions");
  }

  static String query(String db, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(TestPostgres.jdbcUrl(db)); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  static void execute(String db, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(TestPostgres.jdbcUrl(db)); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
