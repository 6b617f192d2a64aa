package io.junction.audit;

import io.vertx.core.MultiMap;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The filters of GET /api/v1/audit and its export, turned into a WHERE clause with bind parameters: actor,
 * target, outcome, requestId, traceId (exact), action (prefix), from/to (on {@code at}, inclusive), cursor.
 */
final class AuditQuery {
  private final List<String> conditions = new ArrayList<>();
  private final Tuple params = Tuple.tuple();

  static AuditQuery from(MultiMap query) {
    AuditQuery q = new AuditQuery();
    q.exact(query, "actor", "actor");
    q.exact(query, "target", "target");
    q.exact(query, "outcome", "outcome");
    q.exact(query, "requestId", "request_id");
    q.exact(query, "traceId", "trace_id");
    String action = query.get("action");
    if (action != null) {
      q.add("starts_with(action, $%d)", action);
    }
    Instant from = instant(query, "from");
    Instant to = instant(query, "to");
    if (from != null && to != null && from.isAfter(to)) {
      throw new BadQuery("from", "is after to");
    }
    if (from != null) {
      q.add("at >= $%d", from.atOffset(ZoneOffset.UTC));
    }
    if (to != null) {
      q.add("at <= $%d", to.atOffset(ZoneOffset.UTC));
    }
    return q;
  }

  /** Only entries older (smaller seq) than the cursor's. */
  AuditQuery before(String cursor) {
    if (cursor != null) {
      add("seq < $%d", decode(cursor));
    }
    return this;
  }

  String where() {
    return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
  }

  Tuple params() {
    return params;
  }

  static String encode(long seq) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("seq:" + seq).getBytes(StandardCharsets.UTF_8));
  }

  private static long decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (text.startsWith("seq:")) {
        long seq = Long.parseLong(text.substring(4));
        if (seq > 0) {
          return seq;
        }
      }
    } catch (IllegalArgumentException e) {
      // falls through to the 400 below
    }
    throw new BadQuery("cursor", "is not a cursor returned by this API");
  }

  static Instant instant(MultiMap query, String name) {
    String value = query.get(name);
    if (value == null) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new BadQuery(name, "must be an RFC 3339 date-time such as 2026-01-15T09:30:00Z, not '" + value + "'");
    }
  }

  private void exact(MultiMap query, String param, String column) {
    String value = query.get(param);
    if (value != null) {
      add(column + " = $%d", value);
    }
  }

  private void add(String condition, Object value) {
    params.addValue(value);
    conditions.add(String.format(condition, params.size()));
  }
}
