package io.junction.events;

import io.junction.config.Durations;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * The {@code kafka} config section as the relay reads it. {@code bootstrapServers} empty = Kafka off: the relay
 * still delivers the outbox to the local event bus and applies the retention.
 */
record RelaySettings(String bootstrapServers, int batchSize, Duration pollInterval, Duration retention,
                     Duration maxBackoff, Duration sendTimeout) {

  static RelaySettings from(JsonObject kafka) {
    JsonObject k = kafka == null ? new JsonObject() : kafka;
    JsonObject relay = k.getJsonObject("relay", new JsonObject());
    return new RelaySettings(
      k.getString("bootstrapServers", "").trim(),
      Math.max(1, relay.getInteger("batchSize", 500)),
      atLeast(Durations.parse(relay.getValue("pollInterval", "200ms")), Duration.ofMillis(10)),
      atLeast(Durations.parse(relay.getValue("retention", "7d")), Duration.ofSeconds(1)),
      atLeast(Durations.parse(relay.getValue("maxBackoff", "30s")), Duration.ofMillis(100)),
      atLeast(Durations.parse(relay.getValue("sendTimeout", "15s")), Duration.ofSeconds(1)));
  }

  boolean kafkaEnabled() {
    return !bootstrapServers.isEmpty();
  }

  /** How often published rows past the retention are swept: a tenth of it, between 1 s and 1 min. */
  Duration sweepInterval() {
    Duration tenth = retention.dividedBy(10);
    return tenth.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
      : tenth.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : tenth;
  }

  private static Duration atLeast(Duration value, Duration floor) {
    return value.compareTo(floor) < 0 ? floor : value;
  }
}
