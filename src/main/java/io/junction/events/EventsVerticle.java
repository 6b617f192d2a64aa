package io.junction.events;

import io.junction.observability.HealthProbe;
import io.junction.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.kafka.admin.KafkaAdminClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Events module: {@code junction.events.publish} stores an event in the outbox and, once committed, publishes
 * it on {@code junction.events.<type>} for in-process subscribers. With kafka.bootstrapServers set it also
 * reports Kafka's health (the relay that drains the outbox into Kafka builds on this).
 */
public class EventsVerticle extends VerticleBase {
  public static final String PUBLISH_ADDRESS = "junction.events.publish";
  public static final String EVENT_PREFIX = "junction.events.";
  private static final Logger LOG = LoggerFactory.getLogger(EventsVerticle.class);

  private final Storage storage;
  private final JsonObject kafkaConfig;
  private final HealthChecks health;
  private KafkaAdminClient kafka;

  public EventsVerticle(Storage storage, JsonObject kafkaConfig, HealthChecks health) {
    this.storage = storage;
    this.kafkaConfig = kafkaConfig;
    this.health = health;
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().<JsonObject>consumer(PUBLISH_ADDRESS, msg -> {
      EventEnvelope event;
      try {
        event = EventEnvelope.fromJson(msg.body());
      } catch (IllegalArgumentException e) {
        msg.fail(400, e.getMessage());
        return;
      }
      storage.pool().withTransaction(tx -> Outbox.append(tx, event)).onComplete(ar -> {
        if (ar.failed()) {
          msg.fail(503, "outbox unavailable: " + ar.cause().getMessage());
          return;
        }
        vertx.eventBus().publish(EVENT_PREFIX + event.type(), event.toJson());
        msg.reply(new JsonObject().put("id", event.id()));
      });
    });
    String servers = kafkaConfig.getString("bootstrapServers", "");
    if (servers.isBlank()) {
      LOG.info("events: outbox and event bus only (kafka.bootstrapServers not set)");
      return Future.succeededFuture();
    }
    kafka = KafkaAdminClient.create(vertx, Map.of(
      "bootstrap.servers", servers,
      "request.timeout.ms", "2000",
      "default.api.timeout.ms", "2000",
      "client.id", "junction-health"));
    HealthProbe.register(health, "kafka", new JsonObject().put("bootstrapServers", servers), kafka::describeCluster);
    LOG.info("events: Kafka at {}", servers);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (kafka != null) {
      health.unregister("kafka");
      return kafka.close();
    }
    return Future.succeededFuture();
  }
}
