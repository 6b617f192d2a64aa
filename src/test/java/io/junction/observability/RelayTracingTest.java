package io.junction.observability;

import io.junction.events.EventEnvelope;
import io.junction.events.Outbox;
import io.junction.testkit.Eventually;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestKafka;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tracing.enabled with Kafka: the outbox relay's send of an event is a producer span in the trace of the event's
 * envelope, and the record's traceparent names that span.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RelayTracingTest {
  static TestKafka kafka;
  static JunctionTestKit kit;
  static Pool pool;
  static final InMemorySpanExporter spans = InMemorySpanExporter.create();

  @BeforeAll
  static void start() {
    kafka = TestKafka.get();
    kit = JunctionTestKit.builder()
      .env("JUNCTION_TRACING_ENABLED", "true")
      .env("JUNCTION_TRACING_EXPORTER", "none")
      .env("JUNCTION_KAFKA_BOOTSTRAPSERVERS", kafka.bootstrapServers())
      .start();
    kit.junction().tracing().addSpanProcessor(SimpleSpanProcessor.create(spans));
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
      .connectingTo(PgConnectOptions.fromUri(kit.databaseUrl())).using(kit.vertx()).build();
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
  void relayedEventIsAProducerSpanOfTheEnvelopesTraceAndItsTraceparentNamesIt() throws Exception {
    String traceId = "e0e0e0e0e0e0e0e0e0e0e0e0" + UUID.randomUUID().toString().substring(0, 8);
    String route = "traced-" + UUID.randomUUID();
    EventEnvelope event = EventEnvelope.of("route.created", route, new JsonObject().put("uri", "lb://x"), traceId, "admin-1");
    pool.withTransaction(tx -> Outbox.append(tx, event)).await(10, TimeUnit.SECONDS);

    Eventually.until("the relay's send span", Duration.ofSeconds(30), () -> producerSpans(traceId).size() >= 1);
    List<SpanData> producers = producerSpans(traceId);
    assertThat(producers).hasSize(1);
    SpanData send = producers.get(0);
    assertThat(send.getName()).isEqualTo("send junction.route");
    assertThat(send.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    Map<String, String> attributes = attributes(send);
    assertThat(attributes).containsEntry("messaging.system", "kafka")
      .containsEntry("messaging.destination.name", "junction.route")
      .containsEntry("messaging.message.id", event.id())
      .containsEntry("junction.event.type", "route.created")
      .containsKey("messaging.kafka.offset");
    assertThat(send.getParentSpanContext().isRemote()).isTrue();
    assertThat(send.getParentSpanContext().getTraceId()).isEqualTo(traceId);
    // Vert.x's own Kafka tracing is off: this is the only span of the send
    assertThat(spans.getFinishedSpanItems()).noneMatch(s -> s.getName().equals("kafka_send"));

    ConsumerRecord<String, String> record = consume(kafka.bootstrapServers(), "junction.route", event.id());
    assertThat(header(record, "trace-id")).isEqualTo(traceId);
    assertThat(header(record, "traceparent")).isEqualTo("00-" + traceId + "-" + send.getSpanId() + "-01");
  }

  @Test
  void eventWithoutATraceIdIsSentWithoutASpan() throws Exception {
    String route = "untraced-" + UUID.randomUUID();
    EventEnvelope event = EventEnvelope.of("route.created", route, new JsonObject(), null, "admin-1");
    pool.withTransaction(tx -> Outbox.append(tx, event)).await(10, TimeUnit.SECONDS);
    ConsumerRecord<String, String> record = consume(kafka.bootstrapServers(), "junction.route", event.id());
    assertThat(header(record, "traceparent")).isNull();
    assertThat(spans.getFinishedSpanItems()).noneMatch(s -> s.getKind() == SpanKind.PRODUCER
      && event.id().equals(attributes(s).get("messaging.message.id")));
  }

  private static List<SpanData> producerSpans(String traceId) {
    return spans.getFinishedSpanItems().stream()
      .filter(s -> s.getTraceId().equals(traceId) && s.getKind() == SpanKind.PRODUCER).toList();
  }

  private static Map<String, String> attributes(SpanData span) {
    Map<String, String> out = new java.util.HashMap<>();
    span.getAttributes().forEach((k, v) -> out.put(k.getKey(), String.valueOf(v)));
    return out;
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static ConsumerRecord<String, String> consume(String bootstrap, String topic, String eventId) {
    Map<String, Object> config = Map.of(
      ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
      ConsumerConfig.GROUP_ID_CONFIG, "relay-tracing-" + UUID.randomUUID(),
      ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
      ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
      ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          if (eventId.equals(new JsonObject(r.value()).getString("id"))) {
            return r;
          }
        }
      }
    }
    throw new AssertionError("event " + eventId + " not on " + topic + " within 30 s");
  }
}
