package io.junction.events;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestKafka;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.junction.events.OutboxFixture.assertInOrderPerKey;
import static io.junction.events.OutboxFixture.await;
import static io.junction.events.OutboxFixture.consumeAll;
import static io.junction.events.OutboxFixture.dedupe;
import static io.junction.events.OutboxFixture.ids;
import static io.junction.events.OutboxFixture.metric;
import static org.assertj.core.api.Assertions.assertThat;

/** Two Junctions on one database: both relays run, only one works at a time, so nothing is published twice. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TwoRelaysTest {

  @Test
  void twoNodesNeverBothPublishAnEvent() throws Exception {
    TestKafka kafka = TestKafka.get();
    String family = "pair" + UUID.randomUUID().toString().substring(0, 8);
    try (JunctionTestKit a = JunctionTestKit.builder().env("JUNCTION_KAFKA_BOOTSTRAPSERVERS", kafka.bootstrapServers())
      .env("JUNCTION_KAFKA_RELAY_BATCHSIZE", "25").start();
         JunctionTestKit b = JunctionTestKit.builder().database(a.databaseUrl())
           .env("JUNCTION_KAFKA_BOOTSTRAPSERVERS", kafka.bootstrapServers())
           .env("JUNCTION_KAFKA_RELAY_BATCHSIZE", "25").start()) {
      double before = metric(a, "junction_outbox_published_total") + metric(b, "junction_outbox_published_total");
      Pool poolA = OutboxFixture.pool(a);
      Pool poolB = OutboxFixture.pool(b);
      // Each node writes its own subjects (one writer per subject keeps a defined order), both at once,
      // and each commit wakes that node's relay.
      List<EventEnvelope> events = new ArrayList<>();
      List<Future<Void>> chains = new ArrayList<>();
      for (int k = 0; k < 10; k++) {
        List<EventEnvelope> mine = new ArrayList<>();
        for (int s = 0; s < 30; s++) {
          mine.add(OutboxFixture.event(family + ".changed", "p-" + k, s));
        }
        events.addAll(mine);
        chains.add(OutboxFixture.appendInSequence(k % 2 == 0 ? poolA : poolB, mine));
      }
      Future.all(chains).await(60, TimeUnit.SECONDS);

      List<ConsumerRecord<String, String>> records = consumeAll(kafka.bootstrapServers(), Set.of("junction." + family),
        ids(events), Duration.ofSeconds(60));
      assertThat(records).as("every event exactly once: zero duplicates").hasSize(300);
      assertInOrderPerKey(dedupe(records), 30, 10);
      await(Duration.ofSeconds(10), "both relays' counts add up to the events", () ->
        metric(a, "junction_outbox_published_total") + metric(b, "junction_outbox_published_total") - before == 300);
      System.out.printf("events: two relays published %.0f + %.0f events%n",
        metric(a, "junction_outbox_published_total"), metric(b, "junction_outbox_published_total"));
      poolA.close();
      poolB.close();
    }
  }
}
