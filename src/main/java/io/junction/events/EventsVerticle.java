package io.junction.events;

import io.junction.http.AdminApi;
import io.junction.observability.HealthProbe;
import io.junction.storage.Storage;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.kafka.admin.KafkaAdminClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Events module: {@code junction.events.publish} stores an event in the outbox (replying with its id once
 * committed); the {@link OutboxRelay} then publishes every committed outbox event on
 * {@code junction.events.<type>} for in-process subscribers and, with kafka.bootstrapServers set, to Kafka,
 * whose health it also reports ({@code kafka} readiness check). Outbox meters go to the given registry.
 */
public class EventsVerticle extends VerticleBase {
  public static final String PUBLISH_ADDRESS = "junction.events.publish";
  public static final String EVENT_PREFIX = "junction.events.";
  private static final Logger LOG = LoggerFactory.getLogger(EventsVerticle.class);

  private final Storage storage;
  private final JsonObject kafkaConfig;
  private final HealthChecks health;
  private final MeterRegistry registry;
  private KafkaAdminClient kafka;
  private OutboxRelay relay;

  public EventsVerticle(Storage storage, JsonObject kafkaConfig, HealthChecks health, MeterRegistry registry) {
    this.storage = storage;
    this.kafkaConfig = kafkaConfig == null ? new JsonObject() : kafkaConfig;
    this.health = health;
    this.registry = registry;
  }

  /** The admin API operations of this module (dead letters). */
  public AdminApi adminApi() {
    return new DeadLettersApi(storage.pool());
  }

  @Override
  public Future<?> start() {
    RelaySettings settings;
    try {
      settings = RelaySettings.from(kafkaConfig);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
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
        msg.reply(new JsonObject().put("id", event.id()));
      });
    });
    String servers = settings.bootstrapServers();
    OutboxMetrics metrics = new OutboxMetrics(registry);
    if (!settings.kafkaEnabled()) {
      relay = new OutboxRelay(vertx, storage.pool(), settings, null, metrics);
      relay.start();
      LOG.info("events: outbox and event bus only (kafka.bootstrapServers not set)");
      return Future.succeededFuture();
    }
    kafka = KafkaAdminClient.create(vertx, Map.of(
      "bootstrap.servers", servers,
      "request.timeout.ms", "2000",
      "default.api.timeout.ms", "2000",
      "client.id", "junction-health"));
    HealthProbe.register(health, "kafka", new JsonObject().put("bootstrapServers", servers), kafka::describeCluster);
    relay = new OutboxRelay(vertx, storage.pool(), settings, new KafkaSink(vertx, settings), metrics);
    relay.start();
    LOG.info("events: Kafka at {}", servers);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    Future<Void> relayStopped = relay == null ? Future.succeededFuture() : relay.stop();
    if (kafka == null) {
      return relayStopped;
    }
    health.unregister("kafka");
    return relayStopped.eventually(() -> kafka.close());
  }
}
