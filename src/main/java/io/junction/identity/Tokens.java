package io.junction.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;

import java.util.List;
import java.util.UUID;

/** Issues an access token (signed JWT) and a refresh token (opaque, in a family) for a user. */
final class Tokens {
  private Tokens() {
  }

  static Future<JsonObject> issue(IdentityCore core, SqlClient tx, Users.User user, UUID family) {
    return Roles.permissionsOf(tx, user.roles())
      .compose(permissions -> RefreshTokens.issue(tx, user.id(), family, core.settings.refreshTtl())
        .map(refresh -> pair(core, user, permissions, refresh)));
  }

  private static JsonObject pair(IdentityCore core, Users.User user, List<String> permissions, String refresh) {
    IdentitySettings s = core.settings;
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims = new JsonObject()
      .put("iss", s.issuer()).put("aud", s.audience()).put("sub", user.id().toString())
      .put("iat", now).put("nbf", now).put("exp", now + s.accessTtl().toSeconds())
      .put("jti", UUID.randomUUID().toString())
      .put("email", user.email())
      .put("roles", new JsonArray(user.roles()))
      .put("permissions", new JsonArray(permissions));
    return new JsonObject()
      .put("accessToken", core.keys.sign(claims))
      .put("tokenType", "Bearer")
      .put("expiresIn", s.accessTtl().toSeconds())
      .put("refreshToken", refresh)
      .put("refreshExpiresIn", s.refreshTtl().toSeconds());
  }
}
