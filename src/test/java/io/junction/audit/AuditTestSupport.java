package io.junction.audit;

import io.junction.testkit.ContractClient;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the audit tests share: logging in, sending records on the bus, and looking at the table with plain SQL. */
final class AuditTestSupport {
  private AuditTestSupport() {
  }

  static String adminToken(JunctionTestKit kit) {
    try (ContractClient platform = ContractClient.platform(kit)) {
      ContractClient.Response r = platform.post("/auth/login")
        .json(new JsonObject().put("email", JunctionTestKit.ADMIN_EMAIL).put("password", JunctionTestKit.ADMIN_PASSWORD)).send();
      if (r.status() != 200) {
        throw new AssertionError("login answered " + r.status() + " " + r.text());
      }
      return r.json().getString("accessToken");
    }
  }

  static JsonObject record(String action, int i) {
    return new JsonObject().put("actor", "tester").put("action", action).put("target", "thing-" + i).put("outcome", "success")
      .put("metadata", new JsonObject().put("i", i).put("nested", new JsonObject().put("b", 2.5).put("a", new JsonArray().add("x"))));
  }

  /** Sends a record and waits for its commit; returns {seq, id, hash}. */
  static JsonObject append(JunctionTestKit kit, JsonObject record) throws Exception {
    return kit.vertx().eventBus().<JsonObject>request(AuditVerticle.RECORD_ADDRESS, record).await(30, TimeUnit.SECONDS).body();
  }

  static JsonObject verify(ContractClient admin, String token, String query) {
    ContractClient.Response r = admin.get("/api/v1/audit/verify" + query).bearer(token).send();
    if (r.status() != 200) {
      throw new AssertionError("verify answered " + r.status() + " " + r.text());
    }
    return r.json();
  }

  static Connection connect(String databaseUrl) throws SQLException {
    return DriverManager.getConnection(TestPostgres.jdbcUrl(databaseUrl));
  }

  /** As the application role {@code role} (trust auth on loopback, so no password). */
  static Connection connectAs(String databaseUrl, String role) throws SQLException {
    return DriverManager.getConnection(TestPostgres.jdbcUrl(databaseUrl).replace("user=postgres", "user=" + role));
  }

  static long count(String databaseUrl, String where) throws SQLException {
    try (Connection c = connect(databaseUrl); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM audit_log" + (where.isEmpty() ? "" : " WHERE " + where))) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void execute(String databaseUrl, String... sql) throws SQLException {
    try (Connection c = connect(databaseUrl); Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  static List<Long> seqs(String databaseUrl) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (Connection c = connect(databaseUrl); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT seq FROM audit_log ORDER BY seq")) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }

  /** The application role of the restricted-role tests: everything Junction needs, minus changing the audit tables. */
  static void createAppRole(String databaseUrl, String role) throws SQLException {
    execute(databaseUrl,
      "DO $$ BEGIN CREATE ROLE " + role + " LOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$",
      "GRANT CONNECT ON DATABASE " + databaseUrl.substring(databaseUrl.lastIndexOf('/') + 1) + " TO " + role,
      "GRANT USAGE ON SCHEMA public TO " + role,
      "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role,
      "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO " + role,
      "REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, audit_archives FROM " + role,
      "GRANT junction_audit_archiver TO " + role);
  }
}
