package io.junction.audit;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/** A stored audit row: the record plus its place in the chain. Also the line format of exports and archives. */
record AuditEntry(long seq, AuditRecord record, String prevHash, String hash) {
  static final String COLUMNS = "seq, id, at, actor, action, target, outcome, metadata, request_id, trace_id, ip, user_agent, prev_hash, hash";

  static AuditEntry fromRow(Row row) {
    Object metadata = row.getValue("metadata");
    AuditRecord r = new AuditRecord(row.getUUID("id"), row.getOffsetDateTime("at").toInstant(), row.getString("actor"),
      row.getString("action"), row.getString("target"), row.getString("outcome"),
      metadata instanceof JsonObject o ? o : new JsonObject(), row.getString("request_id"), row.getString("trace_id"),
      row.getString("ip"), row.getString("user_agent"));
    return new AuditEntry(row.getLong("seq"), r, row.getString("prev_hash"), row.getString("hash"));
  }

  /** Reads a line written by {@link #toJson()}; throws IllegalArgumentException when it is not one. */
  static AuditEntry fromJson(JsonObject json) {
    try {
      AuditRecord r = new AuditRecord(UUID.fromString(json.getString("id")), Instant.parse(json.getString("at")),
        json.getString("actor"), json.getString("action"), json.getString("target"), json.getString("outcome"),
        json.getJsonObject("metadata", new JsonObject()), json.getString("requestId"), json.getString("traceId"),
        json.getString("ip"), json.getString("userAgent"));
      return new AuditEntry(json.getLong("seq"), r, json.getString("prevHash"), json.getString("hash"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not an audit entry: " + e.getMessage(), e);
    }
  }

  /** True when the stored hash is the one its content and stored previous hash give. */
  boolean selfConsistent() {
    return hash != null && prevHash != null && hash.equals(AuditChain.hash(seq, record, prevHash));
  }

  JsonObject toJson() {
    AuditRecord r = record;
    return new JsonObject().put("seq", seq).put("id", r.id().toString()).put("at", r.at().toString())
      .put("actor", r.actor()).put("action", r.action()).put("target", r.target()).put("outcome", r.outcome())
      .put("metadata", r.metadata()).put("requestId", r.requestId()).put("traceId", r.traceId())
      .put("ip", r.ip()).put("userAgent", r.userAgent()).put("prevHash", prevHash).put("hash", hash);
  }
}
