package io.junction.events;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestKafka;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.junction.events.OutboxFixture.assertInOrderPerKey;
import static io.junction.events.OutboxFixture.await;
import static io.junction.events.OutboxFixture.consumeAll;
import static io.junction.events.OutboxFixture.dedupe;
import static io.junction.events.OutboxFixture.distinctIds;
import static io.junction.events.OutboxFixture.ids;
import static io.junction.events.OutboxFixture.metric;
import static io.junction.events.OutboxFixture.sqlLong;
import static io.junction.events.OutboxFixture.sqlTrue;
import static org.assertj.core.api.Assertions.assertThat;

/** Kafka stopped for a while: changes keep succeeding, the relay backs off, then every event arrives, in order. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KafkaOutageTest {

  @Test
  void eventsWrittenWhileKafkaIsDownAllArriveInOrderWhenItReturns() throws Exception {
    TestKafka kafka = TestKafka.get();
    String family = "outage" + UUID.randomUUID().toString().substring(0, 8);
    String topic = "junction." + family;
    try (JunctionTestKit kit = JunctionTestKit.builder()
      .env("JUNCTION_KAFKA_BOOTSTRAPSERVERS", kafka.bootstrapServers())
      .env("JUNCTION_KAFKA_RELAY_SENDTIMEOUT", "2s")
      .env("JUNCTION_KAFKA_RELAY_MAXBACKOFF", "1s")
      .env("JUNCTION_KAFKA_RELAY_BATCHSIZE", "20")
      .start()) {
      Pool pool = OutboxFixture.pool(kit);
      Set<String> heardLocally = ConcurrentHashMap.newKeySet();
      List<EventEnvelope> events;
      kit.vertx().eventBus().<JsonObject>consumer("junction.events." + family + ".changed",
        msg -> heardLocally.add(msg.body().getString("id"))).completion().await(5, TimeUnit.SECONDS);
      try {
        kafka.cut();
        long t0 = System.nanoTime();
        events = OutboxFixture.writeConcurrently(pool, family + ".changed", "o-", 10, 10);
        long writeMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(writeMs).as("100 changes with Kafka down commit without waiting for it").isLessThan(10_000);
        assertThat(sqlLong(kit, "SELECT count(*) FROM outbox WHERE topic = '" + topic + "'")).isEqualTo(100);

        // The relay retries the head of the outbox with backoff, counting attempts, and publishes nothing.
        await(Duration.ofSeconds(30), "repeated failed attempts", sqlTrue(kit,
          "SELECT count(*) FROM outbox WHERE topic = '" + topic + "' AND attempts >= 2"));
        assertThat(sqlLong(kit, "SELECT count(*) FROM outbox WHERE topic = '" + topic + "' AND published_at IS NOT NULL")).isZero();
        await(Duration.ofSeconds(5), "failures counted", () -> metric(kit, "junction_outbox_failures_total") > 0);
        // 100 plus the identity module's user.created of the bootstrap admin, also waiting for Kafka.
        await(Duration.ofSeconds(5), "backlog visible", () -> metric(kit, "junction_outbox_pending") >= 100
          && metric(kit, "junction_outbox_relay_lag_seconds") > 0);
        JsonObject ready = new JsonObject(kit.admin("/health/ready").body());
        assertThat(JunctionTestKit.check(ready.getJsonArray("checks"), "kafka").getString("status")).isEqualTo("DOWN");
        // In-process subscribers do not wait for Kafka (batch 20: most of these came through the read-ahead).
        await(Duration.ofSeconds(10), "local bus delivery during the outage", () -> heardLocally.containsAll(ids(events)));
      } finally {
        kafka.restore();
      }

      List<ConsumerRecord<String, String>> records = consumeAll(kafka.bootstrapServers(), Set.of(topic), ids(events),
        Duration.ofSeconds(45));
      assertThat(distinctIds(records)).as("none lost").hasSize(100);
      assertInOrderPerKey(dedupe(records), 10, 10);
      await(Duration.ofSeconds(10), "every row marked", sqlTrue(kit,
        "SELECT (count(*) = 100)::int FROM outbox WHERE topic = '" + topic + "' AND published_at IS NOT NULL"));
      await(Duration.ofSeconds(10), "kafka ready again", () -> JunctionTestKit.check(
        new JsonObject(kit.admin("/health/ready").body()).getJsonArray("checks"), "kafka").getString("status").equals("UP"));
      pool.close();
    }
  }
}
