package io.junction.events;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One outbox row as the relay reads it: where it goes (topic, key) and what it carries (the envelope). */
record OutboxRow(UUID id, String topic, String key, JsonObject envelope, OffsetDateTime createdAt, int attempts) {

  static OutboxRow of(Row row) {
    return new OutboxRow(row.getUUID("id"), row.getString("topic"), row.getString("key"),
      (JsonObject) row.getValue("envelope"), row.getOffsetDateTime("created_at"), row.getInteger("attempts"));
  }

  String type() {
    return envelope.getString("type");
  }
}
