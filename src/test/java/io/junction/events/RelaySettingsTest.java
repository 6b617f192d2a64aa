package io.junction.events;

import io.vertx.core.json.JsonObject;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The relay's settings, and which Kafka errors skip an event rather than retry it. */
class RelaySettingsTest {

  @Test
  void defaultsWhenOnlyBootstrapServersIsGiven() {
    RelaySettings s = RelaySettings.from(new JsonObject().put("bootstrapServers", " 127.0.0.1:9092 "));
    assertThat(s.kafkaEnabled()).isTrue();
    assertThat(s.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(s.batchSize()).isEqualTo(500);
    assertThat(s.pollInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(s.retention()).isEqualTo(Duration.ofDays(7));
    assertThat(s.sweepInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(RelaySettings.from(null).kafkaEnabled()).isFalse();
  }

  @Test
  void valuesAreReadAndKeptSane() {
    RelaySettings s = RelaySettings.from(new JsonObject().put("relay", new JsonObject()
      .put("batchSize", 0).put("pollInterval", 1).put("retention", "5s").put("maxBackoff", "2s").put("sendTimeout", 250)));
    assertThat(s.kafkaEnabled()).isFalse();
    assertThat(s.batchSize()).isEqualTo(1);
    assertThat(s.pollInterval()).isEqualTo(Duration.ofMillis(10));
    assertThat(s.sendTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.maxBackoff()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.sweepInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThatThrownBy(() -> RelaySettings.from(new JsonObject().put("relay", new JsonObject().put("retention", "soon"))))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("soon");
  }

  @Test
  void onlyErrorsAboutTheRecordItselfSkipIt() {
    assertThat(KafkaSink.refusedForGood(new RecordTooLargeException("big"))).isTrue();
    assertThat(KafkaSink.refusedForGood(new InvalidTopicException("bad name"))).isTrue();
    assertThat(KafkaSink.refusedForGood(new TimeoutException("broker away"))).isFalse();
    assertThat(KafkaSink.refusedForGood(new NotLeaderOrFollowerException("moving"))).isFalse();
    assertThat(KafkaSink.refusedForGood(new TopicAuthorizationException("acl"))).as("a config problem: retry, never drop").isFalse();
  }

  @Test
  void recordCarriesKeyEnvelopeAndHeaders() {
    EventEnvelope e = EventEnvelope.of("route.created", "users", new JsonObject().put("v", 1), "not-a-w3c-trace-id", "u1");
    OutboxRow row = new OutboxRow(UUID.fromString(e.id()), "junction.route", "users", e.toJson(), OffsetDateTime.now(), 0);
    var record = KafkaSink.record(row);
    assertThat(record.topic()).isEqualTo("junction.route");
    assertThat(record.key()).isEqualTo("users");
    assertThat(new JsonObject(record.value())).isEqualTo(e.toJson());
    assertThat(record.headers()).extracting(h -> h.key()).containsExactly("event-id", "event-type", "trace-id");
  }
}
