package io.junction.events;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestKafka;
import io.vertx.sqlclient.Pool;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.junction.events.OutboxFixture.assertInOrderPerKey;
import static io.junction.events.OutboxFixture.await;
import static io.junction.events.OutboxFixture.consume;
import static io.junction.events.OutboxFixture.consumeAll;
import static io.junction.events.OutboxFixture.dedupe;
import static io.junction.events.OutboxFixture.distinctIds;
import static io.junction.events.OutboxFixture.ids;
import static io.junction.events.OutboxFixture.sql;
import static io.junction.events.OutboxFixture.sqlLong;
import static io.junction.events.OutboxFixture.sqlTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay fails between Kafka's acknowledgement and marking the rows (injected: a trigger makes the mark's
 * UPDATE fail, so the pass's transaction rolls back exactly as when the process dies there). Events are sent
 * again: duplicates in Kafka, never a loss; a consumer deduplicating by id sees each event once, in order.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RelayCrashTest {

  @Test
  void failureBetweenSendAndMarkDuplicatesButNeverLoses() throws Exception {
    TestKafka kafka = TestKafka.get();
    String family = "crash" + UUID.randomUUID().toString().substring(0, 8);
    String topic = "junction." + family;
    try (JunctionTestKit kit = JunctionTestKit.builder()
      .env("JUNCTION_KAFKA_BOOTSTRAPSERVERS", kafka.bootstrapServers())
      .env("JUNCTION_KAFKA_RELAY_MAXBACKOFF", "500ms")
      .start()) {
      Pool pool = OutboxFixture.pool(kit);
      await(Duration.ofSeconds(30), "the bootstrap admin's event relayed", sqlTrue(kit,
        "SELECT count(*) FROM outbox WHERE topic = 'junction.user' AND published_at IS NOT NULL"));
      sql(kit, """
        CREATE FUNCTION refuse_mark() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'injected: the relay dies before marking'; END $$;
        CREATE TRIGGER refuse_mark BEFORE UPDATE OF published_at ON outbox
          FOR EACH ROW WHEN (NEW.published_at IS NOT NULL) EXECUTE FUNCTION refuse_mark();
        """);
      List<EventEnvelope> events = OutboxFixture.writeConcurrently(pool, family + ".changed", "c-", 5, 10);
      Set<String> ids = ids(events);

      // Sent, acknowledged, not marked: sent again on the next pass.
      consume(kafka.bootstrapServers(), Set.of(topic), r -> ids.contains(OutboxFixture.eventId(r)),
        seen -> seen.size() >= 2 * ids.size(), Duration.ofSeconds(30));
      assertThat(sqlLong(kit, "SELECT count(*) FROM outbox WHERE topic = '" + topic + "' AND published_at IS NULL"))
        .isEqualTo(50);

      sql(kit, "DROP TRIGGER refuse_mark ON outbox");
      await(Duration.ofSeconds(30), "rows marked once the relay survives the pass", sqlTrue(kit,
        "SELECT (count(*) = 50)::int FROM outbox WHERE topic = '" + topic + "' AND published_at IS NOT NULL"));
      List<ConsumerRecord<String, String>> records = consumeAll(kafka.bootstrapServers(), Set.of(topic), ids, Duration.ofSeconds(30));
      assertThat(distinctIds(records)).as("no event lost").isEqualTo(ids);
      assertThat(records.size()).as("duplicates, as documented").isGreaterThan(ids.size());
      assertInOrderPerKey(dedupe(records), 10, 5);
      pool.close();
    }
  }

  @Test
  void anEventKafkaRefusesForGoodIsADeadLetterAndDoesNotBlockTheOthers() throws Exception {
    TestKafka kafka = TestKafka.get();
    String family = "big" + UUID.randomUUID().toString().substring(0, 8);
    try (JunctionTestKit kit = JunctionTestKit.builder()
      .env("JUNCTION_KAFKA_BOOTSTRAPSERVERS", kafka.bootstrapServers()).start()) {
      Pool pool = OutboxFixture.pool(kit);
      // An envelope over the producer's 1 MB request limit (e.g. a huge route definition), then a normal one.
      EventEnvelope huge = EventEnvelope.of(family + ".changed", "same", new io.vertx.core.json.JsonObject()
        .put("blob", "x".repeat(1_200_000)), null, null);
      EventEnvelope next = OutboxFixture.event(family + ".changed", "same", 1);
      OutboxFixture.appendInSequence(pool, List.of(huge, next)).await(10, TimeUnit.SECONDS);

      List<ConsumerRecord<String, String>> records = consumeAll(kafka.bootstrapServers(), Set.of("junction." + family),
        Set.of(next.id()), Duration.ofSeconds(30));
      assertThat(distinctIds(records)).containsExactly(next.id());
      // the refused one is a dead letter (kept, unpublished, with the producer's error), the next one published
      await(Duration.ofSeconds(10), "both rows out of the way", sqlTrue(kit,
        "SELECT (count(*) = 2)::int FROM outbox WHERE topic = 'junction." + family + "' AND (published_at IS NOT NULL OR failed_at IS NOT NULL)"));
      assertThat(OutboxFixture.sqlLong(kit, "SELECT count(*) FROM outbox WHERE id = '" + huge.id() + "' AND published_at IS NULL"
        + " AND failed_at IS NOT NULL AND last_error LIKE '%RecordTooLarge%'")).isEqualTo(1);
      await(Duration.ofSeconds(5), "the dead letter counted", () -> OutboxFixture.metric(kit, "junction_outbox_dead_letters_total") >= 1);
      pool.close();
    }
  }
}
