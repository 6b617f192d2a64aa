package io.junction.events;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestKafka;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.junction.events.OutboxFixture.assertInOrderPerKey;
import static io.junction.events.OutboxFixture.await;
import static io.junction.events.OutboxFixture.consumeAll;
import static io.junction.events.OutboxFixture.dedupe;
import static io.junction.events.OutboxFixture.ids;
import static io.junction.events.OutboxFixture.metric;
import static io.junction.events.OutboxFixture.sqlLong;
import static io.junction.events.OutboxFixture.sqlTrue;
import static org.assertj.core.api.Assertions.assertThat;

/** The relay against a real KRaft broker: what a Kafka consumer of Junction's events sees. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KafkaRelayTest {
  static TestKafka kafka;
  static JunctionTestKit kit;
  static Pool pool;

  @BeforeAll
  static void start() {
    kafka = TestKafka.get();
    kit = JunctionTestKit.builder().env("JUNCTION_KAFKA_BOOTSTRAPSERVERS", kafka.bootstrapServers()).start();
    pool = OutboxFixture.pool(kit);
  }

  @AfterAll
  static void stop() {
    if (pool != null) {
      pool.close();
    }
    if (kit != null) {
      kit.close();
    }
  }

  @Test
  void eventsArriveWithTopicKeyEnvelopeAndHeaders() throws Exception {
    String route = "users-" + UUID.randomUUID();
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    List<EventEnvelope> events = List.of(
      EventEnvelope.of("route.created", route, new JsonObject().put("uri", "lb://users"), traceId, "admin-1"),
      EventEnvelope.of("route.updated", route, new JsonObject().put("version", 2), traceId, "admin-1"),
      EventEnvelope.of("user.created", "u-" + route, new JsonObject().put("email", "a@b.test"), null, "admin-1"),
      EventEnvelope.of("config.applied", "config", new JsonObject().put("sections", "gateway"), traceId, null),
      EventEnvelope.of("route.deleted", route, new JsonObject(), traceId, "admin-1"));
    // One change, one transaction: the events commit with it.
    pool.withTransaction(tx -> {
      Future<Void> chain = Future.succeededFuture();
      for (EventEnvelope e : events) {
        chain = chain.compose(v -> Outbox.append(tx, e));
      }
      return chain;
    }).await(10, TimeUnit.SECONDS);

    List<ConsumerRecord<String, String>> records = consumeAll(kafka.bootstrapServers(),
      Set.of("junction.route", "junction.user", "junction.config"), ids(events), Duration.ofSeconds(30));

    assertThat(records).hasSize(events.size());
    Map<String, ConsumerRecord<String, String>> byId = new HashMap<>();
    records.forEach(r -> byId.put(OutboxFixture.eventId(r), r));
    for (EventEnvelope sent : events) {
      ConsumerRecord<String, String> r = byId.get(sent.id());
      assertThat(r.topic()).isEqualTo("junction." + sent.family());
      assertThat(r.key()).isEqualTo(sent.subject());
      assertThat(new JsonObject(r.value())).isEqualTo(sent.toJson());
      assertThat(header(r, "event-id")).isEqualTo(sent.id());
      assertThat(header(r, "event-type")).isEqualTo(sent.type());
      if (sent.traceId() != null) {
        assertThat(header(r, "trace-id")).isEqualTo(traceId);
        assertThat(header(r, "traceparent")).matches("^00-" + traceId + "-[0-9a-f]{16}-01$");
      } else {
        assertThat(r.headers().lastHeader("trace-id")).isNull();
        assertThat(r.headers().lastHeader("traceparent")).isNull();
      }
    }
    // The route's events in the order of the change.
    List<String> routeTypes = new ArrayList<>();
    records.stream().filter(r -> route.equals(r.key())).forEach(r -> routeTypes.add(header(r, "event-type")));
    assertThat(routeTypes).containsExactly("route.created", "route.updated", "route.deleted");
    for (EventEnvelope sent : events) {
      await(Duration.ofSeconds(5), "row marked published", sqlTrue(kit,
        "SELECT count(*) FROM outbox WHERE id = '" + sent.id() + "' AND published_at IS NOT NULL AND attempts = 1"));
    }
  }

  @Test
  void orderPerKeyHoldsOver500EventsOn20Keys() throws Exception {
    String keys = "k-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    long t0 = System.nanoTime();
    List<EventEnvelope> events = OutboxFixture.writeConcurrently(pool, "role.updated", keys, 20, 25);
    long written = System.nanoTime();
    List<ConsumerRecord<String, String>> records = consumeAll(kafka.bootstrapServers(), Set.of("junction.role"),
      ids(events), Duration.ofSeconds(60));
    long arrived = System.nanoTime();
    System.out.printf("events: 500 events over 20 keys written in %d ms, all in Kafka after %d ms%n",
      (written - t0) / 1_000_000, (arrived - t0) / 1_000_000);
    assertThat(records).as("no duplicates in normal operation").hasSize(500);
    assertInOrderPerKey(dedupe(records), 25, 20);
  }

  @Test
  void aRolledBackChangeHasNoEvent() throws Exception {
    EventEnvelope kept = OutboxFixture.event("service.created", "svc-" + UUID.randomUUID(), 0);
    EventEnvelope dropped = OutboxFixture.event("service.created", "svc-" + UUID.randomUUID(), 0);
    Future<Void> failed = pool.withTransaction(tx -> Outbox.append(tx, dropped)
      .compose(v -> Future.failedFuture("the change failed")));
    assertThat(failed.transform(ar -> Future.succeededFuture(ar.failed())).await(10, TimeUnit.SECONDS)).isTrue();
    pool.withTransaction(tx -> Outbox.append(tx, kept)).await(10, TimeUnit.SECONDS);
    List<ConsumerRecord<String, String>> records = OutboxFixture.consume(kafka.bootstrapServers(), Set.of("junction.service"),
      r -> r.value().contains(kept.id()) || r.value().contains(dropped.id()),
      seen -> !seen.isEmpty(), Duration.ofSeconds(30));
    assertThat(OutboxFixture.distinctIds(records)).containsExactly(kept.id());
    assertThat(sqlLong(kit, "SELECT count(*) FROM outbox WHERE id = '" + dropped.id() + "'")).isZero();
  }

  /** Throughput of the relay alone: 5000 rows committed at once, then timed until every one is published. */
  @Test
  void relayThroughput() throws Exception {
    String key = "bulk-" + UUID.randomUUID();
    List<EventEnvelope> events = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      events.add(OutboxFixture.event("bulk.loaded", key + (i % 50), i));
    }
    pool.withTransaction(tx -> {
      Future<Void> chain = Future.succeededFuture();
      for (EventEnvelope e : events) {
        chain = chain.compose(v -> Outbox.append(tx, e));
      }
      return chain;
    }).await(60, TimeUnit.SECONDS);
    long t0 = System.nanoTime();
    await(Duration.ofSeconds(60), "5000 rows published", () -> {
      try {
        return sqlLong(kit, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0;
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("events: relay published 5000 events in %.2f s = %.0f events/s%n", seconds, 5000 / seconds);
    assertThat(5000 / seconds).as("events/s through the relay").isGreaterThan(200);
    assertThat(consumeAll(kafka.bootstrapServers(), Set.of("junction.bulk"), ids(events), Duration.ofSeconds(60)))
      .hasSize(5000);
  }

  @Test
  void metricsShowTheOutboxBacklog() throws Exception {
    EventEnvelope e = OutboxFixture.event("route.created", "metrics-" + UUID.randomUUID(), 0);
    pool.withTransaction(tx -> Outbox.append(tx, e)).await(10, TimeUnit.SECONDS);
    await(Duration.ofSeconds(10), "published counted", () -> metric(kit, "junction_outbox_published_total") >= 1);
    await(Duration.ofSeconds(10), "backlog drained", () -> metric(kit, "junction_outbox_pending") == 0);
    assertThat(metric(kit, "junction_outbox_relay_lag_seconds")).isZero();
    assertThat(metric(kit, "junction_outbox_failures_total")).isZero();
  }

  @Test
  void kafkaHealthIsUp() {
    JsonObject ready = new JsonObject(kit.admin("/health/ready").body());
    assertThat(JunctionTestKit.check(ready.getJsonArray("checks"), "kafka").getString("status")).isEqualTo("UP");
  }

  private static String header(ConsumerRecord<String, String> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
