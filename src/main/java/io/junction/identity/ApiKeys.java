package io.junction.identity;

import io.junction.http.ApiProblem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Per-user API keys for the gateway's ApiKey filter: {@code jk_<prefix>_<secret>}, stored as a SHA-256 hash;
 * the whole key is shown once, at creation. Gateways check keys against the identity snapshot, not the table.
 */
final class ApiKeys {
  private ApiKeys() {
  }

  private static JsonObject read(Row row) {
    return new JsonObject().put("id", row.getUUID("id").toString()).put("name", row.getString("name"))
      .put("prefix", row.getString("prefix")).put("createdAt", Users.iso(row.getOffsetDateTime("created_at")))
      .put("expiresAt", Users.iso(row.getOffsetDateTime("expires_at")));
  }

  static Future<List<JsonObject>> page(SqlClient sql, UUID user, String after, int limit) {
    UUID afterId;
    try {
      afterId = after == null ? null : UUID.fromString(after);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.invalid("query", "cursor", "is not a cursor returned by this API");
    }
    return sql.preparedQuery("SELECT id, name, prefix, created_at, expires_at FROM api_keys "
        + "WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $3")
      .execute(Tuple.of(user, afterId, limit + 1)).map(rows -> {
        List<JsonObject> out = new ArrayList<>();
        rows.forEach(row -> out.add(read(row)));
        return out;
      });
  }

  /** Makes a key; the returned JSON carries the whole key in {@code key}, the only time it is ever shown. */
  static Future<JsonObject> create(SqlClient sql, UUID user, String name, OffsetDateTime expiresAt) {
    UUID id = UUID.randomUUID();
    String prefix = Secrets.random("", 6).replace('-', 'x').replace('_', 'y');
    String key = "jk_" + prefix + "_" + Secrets.random("", 32);
    return sql.preparedQuery("INSERT INTO api_keys (id, user_id, name, prefix, key_hash, expires_at) VALUES ($1, $2, $3, $4, $5, $6) "
        + "RETURNING id, name, prefix, created_at, expires_at")
      .execute(Tuple.of(id, user, name, prefix, io.vertx.core.buffer.Buffer.buffer(Secrets.sha256(key)), expiresAt))
      .map(rows -> read(rows.iterator().next()).put("key", key));
  }

  /** Revokes a key of this user; false when there is no such live key. */
  static Future<Boolean> revoke(SqlClient sql, UUID user, UUID id) {
    return sql.preparedQuery("UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL")
      .execute(Tuple.of(id, user)).map(rows -> rows.rowCount() == 1);
  }
}
