package io.junction.events;

import io.junction.testkit.JunctionTestKit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.junction.events.OutboxFixture.await;
import static io.junction.events.OutboxFixture.sqlLong;
import static io.junction.events.OutboxFixture.sqlTrue;
import static org.assertj.core.api.Assertions.assertThat;

/** Kafka off (the default): committed outbox events reach in-process subscribers on the event bus. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalBusTest {
  static JunctionTestKit kit;
  static Pool pool;

  @BeforeAll
  static void start() {
    kit = JunctionTestKit.builder().start();
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
  void aModulesEventsReachSubscribersInOrderWithTheirEnvelope() throws Exception {
    String route = "orders-" + UUID.randomUUID();
    List<JsonObject> heard = Collections.synchronizedList(new ArrayList<>());
    for (String type : List.of("route.created", "route.updated", "route.rolledback")) {
      kit.vertx().eventBus().<JsonObject>consumer("junction.events." + type, msg -> {
        if (route.equals(msg.body().getString("subject"))) {
          heard.add(msg.body());
        }
      }).completion().await(5, TimeUnit.SECONDS);
    }
    EventEnvelope created = EventEnvelope.of("route.created", route, new JsonObject().put("version", 1), "0af7651916cd43dd8448eb211c80319c", "admin");
    EventEnvelope updated = EventEnvelope.of("route.updated", route, new JsonObject().put("version", 2), null, "admin");
    EventEnvelope rolledBack = EventEnvelope.of("route.rolledback", route, new JsonObject().put("version", 1), null, "admin");
    long t0 = System.nanoTime();
    OutboxFixture.appendInSequence(pool, List.of(created, updated, rolledBack)).await(10, TimeUnit.SECONDS);

    await(Duration.ofSeconds(10), "three events heard", () -> heard.size() >= 3);
    System.out.printf("events: local bus delivery of 3 committed events within %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    assertThat(heard).containsExactly(created.toJson(), updated.toJson(), rolledBack.toJson());
    await(Duration.ofSeconds(5), "rows marked published", sqlTrue(kit,
      "SELECT (count(*) = 3)::int FROM outbox WHERE key = '" + route + "' AND published_at IS NOT NULL"));
  }

  @Test
  void aRolledBackChangeIsNeverHeard() throws Exception {
    String subject = "svc-" + UUID.randomUUID();
    List<String> heard = Collections.synchronizedList(new ArrayList<>());
    kit.vertx().eventBus().<JsonObject>consumer("junction.events.service.deleted", msg -> {
      if (subject.equals(msg.body().getString("subject"))) {
        heard.add(msg.body().getString("id"));
      }
    }).completion().await(5, TimeUnit.SECONDS);
    EventEnvelope dropped = OutboxFixture.event("service.deleted", subject, 0);
    EventEnvelope kept = OutboxFixture.event("service.deleted", subject, 1);
    Future<Void> failed = pool.withTransaction(tx -> Outbox.append(tx, dropped).compose(v -> Future.failedFuture("change refused")));
    assertThat(failed.transform(ar -> Future.succeededFuture(ar.failed())).await(10, TimeUnit.SECONDS)).isTrue();
    pool.withTransaction(tx -> Outbox.append(tx, kept)).await(10, TimeUnit.SECONDS);
    await(Duration.ofSeconds(10), "the committed event heard", () -> heard.contains(kept.id()));
    Thread.sleep(300); // a poll or so more: the rolled-back one must still not show up
    assertThat(heard).containsExactly(kept.id());
    assertThat(sqlLong(kit, "SELECT count(*) FROM outbox WHERE id = '" + dropped.id() + "'")).isZero();
  }

  @Test
  void publishAddressRepliesWithTheIdAndRefusesBadEvents() throws Exception {
    List<String> heard = Collections.synchronizedList(new ArrayList<>());
    kit.vertx().eventBus().<JsonObject>consumer("junction.events.config.applied", msg -> heard.add(msg.body().getString("id")))
      .completion().await(5, TimeUnit.SECONDS);
    JsonObject reply = kit.vertx().eventBus().<JsonObject>request(EventsVerticle.PUBLISH_ADDRESS,
      new JsonObject().put("type", "config.applied").put("subject", "gateway")).await(10, TimeUnit.SECONDS).body();
    await(Duration.ofSeconds(10), "published event heard", () -> heard.contains(reply.getString("id")));
    for (JsonObject bad : List.of(new JsonObject(), new JsonObject().put("type", "nodot"),
      new JsonObject().put("type", "route.created").put("data", "not an object"))) {
      Throwable failure = kit.vertx().eventBus().request(EventsVerticle.PUBLISH_ADDRESS, bad)
        .transform(ar -> Future.succeededFuture(ar.cause())).await(10, TimeUnit.SECONDS);
      assertThat(failure).isInstanceOf(io.vertx.core.eventbus.ReplyException.class);
      assertThat(((io.vertx.core.eventbus.ReplyException) failure).failureCode()).isEqualTo(400);
    }
  }

  @Test
  void kafkaOffMeansNoKafkaCheckAndAnEmptyBacklog() throws Exception {
    JsonObject ready = new JsonObject(kit.admin("/health/ready").body());
    assertThat(ready.getJsonArray("checks").stream().map(c -> ((JsonObject) c).getString("id"))).doesNotContain("kafka");
    await(Duration.ofSeconds(5), "no backlog", () -> OutboxFixture.metric(kit, "junction_outbox_pending") == 0);
  }
}
