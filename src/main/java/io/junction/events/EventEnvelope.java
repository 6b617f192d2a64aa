package io.junction.events;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * A domain event (DESIGN.md §3), CloudEvents field names where they exist:
 * {id, type, source, time, traceId, userId, subject, data}.
 */
public record EventEnvelope(String id, String type, String source, Instant time, String traceId, String userId,
                            String subject, JsonObject data) {

  public static EventEnvelope of(String type, String subject, JsonObject data, String traceId, String userId) {
    return new EventEnvelope(UUID.randomUUID().toString(), type, "junction", Instant.now(), traceId, userId, subject, data);
  }

  /** Reads a bus message; throws IllegalArgumentException naming what is missing. */
  public static EventEnvelope fromJson(JsonObject json) {
    if (json == null || json.getString("type") == null || json.getString("type").isBlank()) {
      throw new IllegalArgumentException("event: type is required");
    }
    if (!json.getString("type").matches("^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+$")) {
      throw new IllegalArgumentException("event: type must look like family.verb (e.g. route.created), got " + json.getString("type"));
    }
    Object data = json.getValue("data");
    if (data != null && !(data instanceof JsonObject)) {
      throw new IllegalArgumentException("event: data must be an object");
    }
    return of(json.getString("type"), json.getString("subject"), data == null ? new JsonObject() : (JsonObject) data,
      json.getString("traceId"), json.getString("userId"));
  }

  /** The event family is the type's first part: route.created → route; one Kafka topic per family. */
  public String family() {
    int dot = type.indexOf('.');
    return dot < 0 ? type : type.substring(0, dot);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("type", type).put("source", source).put("time", time.toString())
      .put("traceId", traceId).put("userId", userId).put("subject", subject).put("data", data);
  }
}
