package io.junction.identity;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Opaque refresh tokens, stored as hashes. Each login starts a family; refreshing rotates the token within
 * its family. Presenting a token that was already rotated means it was copied: the whole family is revoked.
 */
final class RefreshTokens {
  record Stored(UUID id, UUID userId, UUID familyId, OffsetDateTime expiresAt, OffsetDateTime rotatedAt, OffsetDateTime revokedAt) {
  }

  private RefreshTokens() {
  }

  /** Stores a new token of the family and returns the token itself (never stored). */
  static Future<String> issue(SqlClient sql, UUID user, UUID family, Duration ttl) {
    String token = Secrets.random("rt_", 32);
    OffsetDateTime expires = OffsetDateTime.now(ZoneOffset.UTC).plus(ttl);
    return sql.preparedQuery("INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)")
      .execute(Tuple.of(UUID.randomUUID(), user, family, Buffer.buffer(Secrets.sha256(token)), expires))
      .map(v -> token);
  }

  /** The stored row for a presented token, locked for the rest of the transaction; null when unknown. */
  static Future<Stored> find(SqlClient sql, String token) {
    return sql.preparedQuery("SELECT id, user_id, family_id, expires_at, rotated_at, revoked_at FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE")
      .execute(Tuple.of(Buffer.buffer(Secrets.sha256(token))))
      .map(rows -> {
        if (rows.size() == 0) {
          return null;
        }
        Row r = rows.iterator().next();
        return new Stored(r.getUUID(0), r.getUUID(1), r.getUUID(2), r.getOffsetDateTime(3), r.getOffsetDateTime(4), r.getOffsetDateTime(5));
      });
  }

  static Future<Void> markRotated(SqlClient sql, UUID id) {
    return sql.preparedQuery("UPDATE refresh_tokens SET rotated_at = now() WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
  }

  static Future<Integer> revokeFamily(SqlClient sql, UUID family) {
    return sql.preparedQuery("UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL")
      .execute(Tuple.of(family)).map(rows -> rows.rowCount());
  }

  static Future<Void> revokeUser(SqlClient sql, UUID user) {
    return sql.preparedQuery("UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL")
      .execute(Tuple.of(user)).mapEmpty();
  }
}
