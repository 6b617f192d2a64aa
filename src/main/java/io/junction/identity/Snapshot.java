package io.junction.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * What every node needs to verify tokens and API keys on its own: public keys, each role's permissions, users
 * whose roles or status changed within an access token's lifetime, and live API keys (as hashes). Published
 * whole on {@code junction.identity.changed}; the version comes from a database sequence taken before the
 * reads, so a higher version has seen every change committed before a lower one was taken, on any node.
 */
final class Snapshot {
  private Snapshot() {
  }

  static Future<JsonObject> build(Pool pool, SigningKeys keys, IdentitySettings settings) {
    long windowSeconds = settings.accessTtl().plus(settings.clockSkew()).toSeconds() + 5;
    JsonObject snapshot = new JsonObject()
      .put("issuer", settings.issuer()).put("audience", settings.audience())
      .put("clockSkewSeconds", settings.clockSkew().toSeconds());
    return pool.query("SELECT nextval('identity_snapshot_version')").execute()
      .compose(rows -> {
        snapshot.put("version", rows.iterator().next().getLong(0));
        return pool.query("SELECT r.id, ARRAY(SELECT permission_id FROM role_permissions p WHERE p.role_id = r.id ORDER BY 1) FROM roles r").execute();
      })
      .compose(rows -> {
        JsonObject roles = new JsonObject();
        for (Row row : rows) {
          roles.put(row.getString(0), new JsonArray(java.util.List.of(row.getArrayOfStrings(1))));
        }
        snapshot.put("roles", roles);
        return pool.preparedQuery("SELECT u.id, u.status, u.authz_changed_at, ARRAY(SELECT role_id FROM user_roles r WHERE r.user_id = u.id ORDER BY 1) "
          + "FROM users u WHERE u.authz_changed_at > now() - make_interval(secs => $1)").execute(Tuple.of(windowSeconds));
      })
      .compose(rows -> {
        JsonObject users = new JsonObject();
        for (Row row : rows) {
          users.put(row.getUUID(0).toString(), new JsonObject()
            .put("changedAt", row.getOffsetDateTime(2).toInstant().toEpochMilli())
            .put("active", "active".equals(row.getString(1)))
            .put("roles", new JsonArray(java.util.List.of(row.getArrayOfStrings(3)))));
        }
        snapshot.put("users", users);
        return pool.query("SELECT k.id, k.user_id, k.key_hash, k.expires_at, ARRAY(SELECT role_id FROM user_roles r WHERE r.user_id = k.user_id ORDER BY 1) "
          + "FROM api_keys k JOIN users u ON u.id = k.user_id "
          + "WHERE k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now()) AND u.status = 'active'").execute();
      })
      .map(rows -> {
        JsonArray apiKeys = new JsonArray();
        for (Row row : rows) {
          OffsetDateTime expires = row.getOffsetDateTime(3);
          apiKeys.add(new JsonObject().put("hash", Secrets.base64Url(row.getBuffer(2).getBytes()))
            .put("id", row.getUUID(0).toString()).put("userId", row.getUUID(1).toString())
            .put("roles", new JsonArray(java.util.List.of(row.getArrayOfStrings(4))))
            .put("expiresAt", expires == null ? null : expires.toInstant().toEpochMilli()));
        }
        return snapshot.put("apiKeys", apiKeys).put("keys", keys.jwks())
          .put("builtAt", OffsetDateTime.now(ZoneOffset.UTC).toString());
      });
  }
}
