package io.junction.audit;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** One audit entry as sent to {@code junction.audit.record}: who did what to which target, and how it ended. */
public record AuditRecord(UUID id, Instant at, String actor, String action, String target, String outcome,
                          JsonObject metadata, String requestId, String traceId, String ip, String userAgent) {

  private static final int MAX_TEXT = 4096;
  private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  /** Reads and checks a bus message; throws IllegalArgumentException naming each missing or bad field. */
  public static AuditRecord fromJson(JsonObject json) {
    if (json == null) {
      throw new IllegalArgumentException("audit record: body must be a JSON object");
    }
    List<String> problems = new ArrayList<>();
    for (String field : List.of("actor", "action", "outcome")) {
      Object v = json.getValue(field);
      if (!(v instanceof String s) || s.isBlank()) {
        problems.add(field + " is required (non-empty string)");
      }
    }
    Object metadata = json.getValue("metadata");
    if (metadata != null && !(metadata instanceof JsonObject)) {
      problems.add("metadata must be an object");
    }
    Instant at = Instant.now();
    if (json.getValue("at") != null) {
      try {
        at = Instant.parse(json.getString("at"));
      } catch (RuntimeException e) {
        problems.add("at must be an ISO-8601 instant");
      }
    }
    for (String field : List.of("actor", "action", "target", "outcome", "requestId", "traceId", "ip", "userAgent")) {
      Object v = json.getValue(field);
      if (v != null && !(v instanceof String)) {
        problems.add(field + " must be a string");
      } else if (v != null && ((String) v).length() > MAX_TEXT) {
        problems.add(field + " is longer than " + MAX_TEXT + " characters");
      }
    }
    if (hasNul(json)) {
      // Postgres text and jsonb cannot hold U+0000; one such record would otherwise fail its whole batch.
      problems.add("strings must not contain the NUL character");
    }
    if (!at.isAfter(EARLIEST) || at.isAfter(LATEST)) {
      problems.add("at must be between years 1970 and 9999");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("audit record: " + String.join("; ", problems));
    }
    // Postgres keeps microseconds: truncate now so the hash computed here matches the stored row.
    return new AuditRecord(UUID.randomUUID(), at.truncatedTo(ChronoUnit.MICROS), json.getString("actor"), json.getString("action"),
      json.getString("target"), json.getString("outcome"), metadata == null ? new JsonObject() : (JsonObject) metadata,
      json.getString("requestId"), json.getString("traceId"), json.getString("ip"), json.getString("userAgent"));
  }

  private static boolean hasNul(Object value) {
    if (value instanceof String s) {
      return s.indexOf('\u0000') >= 0;
    }
    if (value instanceof JsonObject o) {
      for (var e : o) {
        if (e.getKey().indexOf('\u0000') >= 0 || hasNul(e.getValue())) {
          return true;
        }
      }
    } else if (value instanceof io.vertx.core.json.JsonArray a) {
      for (Object item : a) {
        if (hasNul(item)) {
          return true;
        }
      }
    }
    return false;
  }
}
