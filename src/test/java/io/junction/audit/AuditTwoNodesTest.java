package io.junction.audit;

import io.junction.testkit.ContractClient;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Two Junction nodes on one database append at once; the chain stays one unbroken line. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AuditTwoNodesTest {
  private static final int PER_NODE = 5000;

  @Test
  void tenThousandConcurrentRecordsFromTwoNodesVerify() throws Exception {
    String db = TestPostgres.newDatabase();
    try (JunctionTestKit a = JunctionTestKit.builder().database(db).env("JUNCTION_AUDIT_VERIFYINTERVAL", "0").start();
         JunctionTestKit b = JunctionTestKit.builder().database(db).env("JUNCTION_AUDIT_VERIFYINTERVAL", "0").start();
         ContractClient admin = ContractClient.admin(b)) {
      long before = AuditTestSupport.count(db, "");
      long t0 = System.nanoTime();
      CompletableFuture<List<Long>> fromA = flood(a, "a");
      CompletableFuture<List<Long>> fromB = flood(b, "b");
      List<Long> seqs = new ArrayList<>(fromA.get(90, TimeUnit.SECONDS));
      seqs.addAll(fromB.get(90, TimeUnit.SECONDS));
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("audit: %d records from two nodes in %.2f s (%.0f/s)%n", 2 * PER_NODE, seconds, 2 * PER_NODE / seconds);

      assertThat(seqs).hasSize(2 * PER_NODE).doesNotHaveDuplicates();
      assertThat(AuditTestSupport.count(db, "action = 'test.node'")).isEqualTo(2 * PER_NODE);
      List<Long> all = AuditTestSupport.seqs(db);
      assertThat(all).containsExactlyElementsOf(LongStream.rangeClosed(1, all.size()).boxed().toList());
      assertThat(all.size()).isGreaterThanOrEqualTo((int) before + 2 * PER_NODE);
      JsonObject result = AuditTestSupport.verify(admin, AuditTestSupport.adminToken(b), "");
      assertThat(result.getBoolean("ok")).as(result.encode()).isTrue();
      // (the login above may have appended one more record after the table was listed)
      assertThat(result.getLong("checked")).isGreaterThanOrEqualTo(all.size());
    } finally {
      TestPostgres.dropDatabase(db);
    }
  }

  /** Sends PER_NODE records on one node's bus, all at once, and collects the seqs they were committed at. */
  private static CompletableFuture<List<Long>> flood(JunctionTestKit kit, String node) {
    List<Future<Message<JsonObject>>> replies = new ArrayList<>(PER_NODE);
    for (int i = 0; i < PER_NODE; i++) {
      replies.add(kit.vertx().eventBus().request(AuditVerticle.RECORD_ADDRESS,
        AuditTestSupport.record("test.node", i).put("actor", "node-" + node)));
    }
    return Future.all(replies).map(all -> replies.stream().map(f -> f.result().body().getLong("seq")).toList())
      .toCompletionStage().toCompletableFuture();
  }
}
