package io.junction.audit;

import io.junction.testkit.ContractClient;
import io.junction.testkit.Eventually;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TcpProxy;
import io.junction.testkit.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Postgres goes away during writes: records wait in the buffer, changes stop when it fills, nothing is lost. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AuditOutageTest {
  private static final int BUFFER = 200;

  @Test
  void recordsSurviveAnOutageAndAFullBufferRefusesChangesWith503() throws Exception {
    String db = TestPostgres.newDatabase();
    try (TcpProxy proxy = new TcpProxy(TestPostgres.port())) {
      String viaProxy = db.replace(":" + TestPostgres.port() + "/", ":" + proxy.port() + "/");
      try (JunctionTestKit kit = JunctionTestKit.builder().database(viaProxy).env("JUNCTION_AUDIT_BUFFERSIZE", String.valueOf(BUFFER))
             .env("JUNCTION_AUDIT_RETRYMAX", "200ms").env("JUNCTION_AUDIT_VERIFYINTERVAL", "0").start();
           ContractClient admin = ContractClient.admin(kit)) {
        String token = AuditTestSupport.adminToken(kit);
        // Records already on their way when the connection drops, then more than the buffer holds.
        List<Future<Message<JsonObject>>> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          sent.add(send(kit, i));
        }
        proxy.cut();
        // (the first 50 may or may not have committed before the cut: fill the buffer with new ones either way)
        for (int i = 50; i < 50 + BUFFER + 10; i++) {
          sent.add(send(kit, i));
        }
        // The buffer is full: the records beyond it are refused, and so is any change through the admin API.
        Eventually.until("the buffer to fill", Duration.ofSeconds(10), () -> kit.admin("/metrics").body().contains("junction_audit_queue_depth " + BUFFER));
        ContractClient.Response change = admin.post("/api/v1/roles").bearer(token).json(new JsonObject().put("id", "during-outage")).send();
        assertThat(change.status()).isEqualTo(503);
        assertThat(change.error()).isEqualTo("unavailable");
        assertThat(change.json().getString("message")).contains("audit log");
        assertThat(change.header("Retry-After")).isEqualTo("5");
        // What needs no database still answers (the contract document).
        assertThat(admin.get("/api/v1/openapi.json").send().status()).isEqualTo(200);

        proxy.restore();
        Outcome outcome = settle(sent);
        assertThat(outcome.refused()).isGreaterThanOrEqualTo(10);
        assertThat(outcome.refusedCodes()).containsOnly(503);
        // Every record the buffer took was written, once: nothing lost, nothing doubled by the retries.
        assertThat(outcome.accepted()).hasSizeGreaterThanOrEqualTo(BUFFER - 10).doesNotHaveDuplicates();
        assertThat(AuditTestSupport.count(db, "action = 'test.outage'")).isEqualTo(outcome.accepted().size());

        ContractClient.Response after = admin.post("/api/v1/roles").bearer(token).json(new JsonObject().put("id", "after-outage")).send();
        assertThat(after.status()).isEqualTo(201);
        JsonObject verified = AuditTestSupport.verify(admin, token, "");
        assertThat(verified.getBoolean("ok")).as(verified.encode()).isTrue();
      }
    } finally {
      TestPostgres.dropDatabase(db);
    }
  }

  @Test
  void withFailClosedOffChangesAreNotRefusedByTheAudit() throws Exception {
    String db = TestPostgres.newDatabase();
    try (TcpProxy proxy = new TcpProxy(TestPostgres.port())) {
      String viaProxy = db.replace(":" + TestPostgres.port() + "/", ":" + proxy.port() + "/");
      try (JunctionTestKit kit = JunctionTestKit.builder().database(viaProxy).env("JUNCTION_AUDIT_BUFFERSIZE", "20")
             .env("JUNCTION_AUDIT_FAILCLOSED", "false").env("JUNCTION_AUDIT_VERIFYINTERVAL", "0").start();
           ContractClient admin = ContractClient.admin(kit)) {
        String token = AuditTestSupport.adminToken(kit);
        proxy.cut();
        List<Future<Message<JsonObject>>> sent = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
          sent.add(send(kit, i));
        }
        Eventually.until("the buffer to fill", Duration.ofSeconds(10), () -> kit.admin("/metrics").body().contains("junction_audit_queue_depth 20"));
        ContractClient.Response change = admin.post("/api/v1/roles").bearer(token).json(new JsonObject().put("id", "open-outage")).send();
        // The identity module runs it (and fails on the database itself): the audit did not stop it.
        assertThat(change.status()).isEqualTo(503);
        assertThat(change.json().getString("message")).doesNotContain("audit log");
        proxy.restore();
        Outcome outcome = settle(sent);
        assertThat(outcome.refused()).isGreaterThanOrEqualTo(5);
        assertThat(AuditTestSupport.count(db, "action = 'test.outage'")).isEqualTo(outcome.accepted().size());
      }
    } finally {
      TestPostgres.dropDatabase(db);
    }
  }

  record Outcome(List<Long> accepted, int refused, List<Integer> refusedCodes) {
  }

  /** Waits for every record's answer: the seqs of those committed, and the failure codes of those refused. */
  private static Outcome settle(List<Future<Message<JsonObject>>> sent) throws Exception {
    List<Long> accepted = new ArrayList<>();
    List<Integer> codes = new ArrayList<>();
    for (Future<Message<JsonObject>> f : sent) {
      Throwable err = f.toCompletionStage().toCompletableFuture().handle((ok, e) -> e).get(60, TimeUnit.SECONDS);
      if (err == null) {
        accepted.add(f.result().body().getLong("seq"));
      } else {
        codes.add(err instanceof ReplyException re ? re.failureCode() : -1);
      }
    }
    return new Outcome(accepted, codes.size(), codes);
  }

  private static Future<Message<JsonObject>> send(JunctionTestKit kit, int i) {
    return kit.vertx().eventBus().request(AuditVerticle.RECORD_ADDRESS, AuditTestSupport.record("test.outage", i),
      new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(120_000));
  }
}
