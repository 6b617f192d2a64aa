package io.junction.audit;

import io.junction.testkit.ContractClient;
import io.junction.testkit.Eventually;
import io.junction.testkit.JunctionTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.junction.audit.AuditTestSupport.append;
import static io.junction.audit.AuditTestSupport.execute;
import static io.junction.audit.AuditTestSupport.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The database refuses changes to the log; what a superuser changes anyway, verification finds. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AuditTamperTest {

  @Test
  void theApplicationRoleCannotUpdateOrDeleteNorPassTheArchiverGate() throws Exception {
    try (JunctionTestKit kit = JunctionTestKit.builder().env("JUNCTION_AUDIT_ARCHIVEINTERVAL", "0").start()) {
      append(kit, record("test.role", 1));
      AuditTestSupport.createAppRole(kit.databaseUrl(), "junction_app");
      try (Connection app = AuditTestSupport.connectAs(kit.databaseUrl(), "junction_app"); Statement st = app.createStatement()) {
        assertThatThrownBy(() -> st.execute("UPDATE audit_log SET actor = 'mallory' WHERE action = 'test.role'"))
          .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> st.execute("DELETE FROM audit_log WHERE action = 'test.role'")).hasMessageContaining("permission denied");
        assertThatThrownBy(() -> st.execute("TRUNCATE audit_log")).hasMessageContaining("permission denied");
        // The archiver's flag does not help without the privilege, and the archiver's function deletes only archived-looking rows.
        assertThatThrownBy(() -> st.execute("SET junction.audit_archiving = 'on'; DELETE FROM audit_log")).hasMessageContaining("permission denied");
        assertThatThrownBy(() -> st.execute("SELECT audit_archive_remove(5, 6, 'x', 'y', current_date, 'f', 's')"))
          .hasMessageContaining("oldest first");
        assertThatThrownBy(() -> st.execute("UPDATE audit_archives SET sha256 = 'x'")).hasMessageContaining("permission denied");
        // it can still append and read
        st.execute("SELECT count(*) FROM audit_log");
      }
      // Even the owner is stopped by the trigger.
      assertThatThrownBy(() -> execute(kit.databaseUrl(), "UPDATE audit_log SET actor = 'mallory'")).hasMessageContaining("append-only");
      assertThatThrownBy(() -> execute(kit.databaseUrl(), "DELETE FROM audit_log")).hasMessageContaining("append-only");
      assertThat(AuditTestSupport.count(kit.databaseUrl(), "action = 'test.role'")).isEqualTo(1);
    }
  }

  @Test
  void anEditedRowIsNamedByVerifyAndByTheScheduledCheck() throws Exception {
    try (JunctionTestKit kit = JunctionTestKit.builder().env("JUNCTION_AUDIT_VERIFYINTERVAL", "300ms").start();
         ContractClient admin = ContractClient.admin(kit)) {
      String token = AuditTestSupport.adminToken(kit);
      long target = 0;
      for (int i = 0; i < 20; i++) {
        long seq = append(kit, record("test.tamper", i)).getLong("seq");
        if (i == 10) {
          target = seq;
        }
      }
      assertThat(AuditTestSupport.verify(admin, token, "").getBoolean("ok")).isTrue();
      Eventually.until("a passing scheduled verification", Duration.ofSeconds(10),
        () -> kit.admin("/metrics").body().contains("junction_audit_verify_ok 1.0"));

      // A superuser bypasses the trigger and edits one row's metadata.
      execute(kit.databaseUrl(), "SET session_replication_role = replica",
        "UPDATE audit_log SET metadata = jsonb_set(metadata, '{i}', '999') WHERE seq = " + target);
      var result = AuditTestSupport.verify(admin, token, "");
      assertThat(result.getBoolean("ok")).isFalse();
      assertThat(result.getLong("firstBadSeq")).isEqualTo(target);
      assertThat(result.getString("reason")).contains("does not match its content");
      assertThat(result.getLong("checked")).isEqualTo(target - 1);
      // a range that ends before it still verifies
      assertThat(AuditTestSupport.verify(admin, token, "?to=" + (target - 1)).getBoolean("ok")).isTrue();

      Eventually.until("the scheduled verification to raise its metric", Duration.ofSeconds(10), () -> {
        String metrics = kit.admin("/metrics").body();
        return metrics.contains("junction_audit_verify_ok 0.0") && !metrics.contains("junction_audit_verify_failures_total 0.0");
      });
    }
  }

  @Test
  void aRowDeletedInTheMiddleIsNamedByVerify() throws Exception {
    try (JunctionTestKit kit = JunctionTestKit.builder().env("JUNCTION_AUDIT_VERIFYINTERVAL", "0").start();
         ContractClient admin = ContractClient.admin(kit)) {
      String token = AuditTestSupport.adminToken(kit);
      long target = 0;
      for (int i = 0; i < 20; i++) {
        long seq = append(kit, record("test.delete", i)).getLong("seq");
        if (i == 7) {
          target = seq;
        }
      }
      execute(kit.databaseUrl(), "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update",
        "DELETE FROM audit_log WHERE seq = " + target, "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update");
      var result = AuditTestSupport.verify(admin, token, "");
      assertThat(result.getBoolean("ok")).isFalse();
      assertThat(result.getLong("firstBadSeq")).isEqualTo(target);
      assertThat(result.getString("reason")).isEqualTo("seq " + target + " missing");

      // Re-inserting a forged row in its place does not help: its hash cannot be made to fit without the rest.
      execute(kit.databaseUrl(), "INSERT INTO audit_log (seq, id, at, actor, action, outcome, prev_hash, hash)"
        + " SELECT " + target + ", gen_random_uuid(), now(), 'mallory', 'test.delete', 'success', prev_hash, hash FROM audit_log WHERE seq = " + (target - 1));
      assertThat(AuditTestSupport.verify(admin, token, "").getLong("firstBadSeq")).isEqualTo(target);
    }
  }
}
