package io.junction.audit;

import io.junction.config.Durations;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.time.Duration;

/** The {@code audit.*} settings (defaults in config/junction-defaults.yaml). A zero interval switches that job off. */
record AuditSettings(int batchSize, Duration flushInterval, int bufferSize, boolean failClosed, Duration retryMax,
                     Duration verifyInterval, Duration archiveAfter, Path archiveDir, Duration archiveRetention,
                     Duration archiveInterval) {

  static AuditSettings from(JsonObject c) {
    JsonObject a = c == null ? new JsonObject() : c;
    return new AuditSettings(
      a.getInteger("batchSize", 500),
      Durations.parse(a.getValue("flushInterval", "10ms")),
      a.getInteger("bufferSize", 100_000),
      a.getBoolean("failClosed", true),
      Durations.parse(a.getValue("retryMax", "5s")),
      Durations.parse(a.getValue("verifyInterval", "24h")),
      Durations.parse(a.getValue("archiveAfter", "90d")),
      Path.of(a.getString("archiveDir", "data/audit-archive")),
      Durations.parse(a.getValue("archiveRetention", "0")),
      Durations.parse(a.getValue("archiveInterval", "1h")));
  }
}
