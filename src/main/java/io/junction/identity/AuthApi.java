package io.junction.identity;

import io.junction.http.ApiProblem;
import io.junction.http.ApiReplies;
import io.junction.http.AdminApi;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.UUID;

/**
 * The public listener's token endpoints: login, refresh (rotating, with reuse detection), logout, and the JWKS.
 * Unknown email, wrong password and disabled account answer alike, after the same amount of hashing work.
 */
final class AuthApi implements AdminApi {
  private final IdentityCore core;

  AuthApi(IdentityCore core) {
    this.core = core;
  }

  @Override
  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
      "login", ApiReplies.handler("identity", this::login),
      "refresh", ApiReplies.handler("identity", this::refresh),
      "logout", ApiReplies.handler("identity", this::logout),
      "getJwks", ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "public, max-age=300")
        .end(new JsonObject().put("keys", core.keys.jwks()).encode()));
  }

  private static String ip(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
  }

  private Future<ApiReplies.Reply> login(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    String email = body.getString("email");
    String password = body.getString("password");
    String ip = ip(ctx);
    long wait = core.throttle.retryAfterSeconds(email, ip);
    if (wait > 0) {
      core.audit.record(ctx, email, "auth.login", email, "throttled", new JsonObject().put("retryAfter", wait));
      core.login("throttled");
      ctx.response().putHeader("Retry-After", Long.toString(wait));
      return Future.failedFuture(new ApiProblem(429, "too_many_attempts", "too many failed logins; try again in " + wait + " s", null));
    }
    return Users.byEmail(core.pool, email).compose(user -> core.verify(password, user == null ? null : user.passwordHash())
      .compose(matches -> {
        if (!matches || !user.active()) {
          core.throttle.failed(email, ip);
          core.login("failure");
          String reason = user == null ? "unknown_user" : !matches ? "wrong_password" : "disabled";
          core.audit.record(ctx, email, "auth.login", user == null ? email : user.id().toString(), "failure", new JsonObject().put("reason", reason));
          return Future.failedFuture(ApiProblem.unauthorized("invalid_credentials", "email or password is wrong"));
        }
        core.throttle.succeeded(email);
        core.login("success");
        return core.pool.withTransaction(tx -> Tokens.issue(core, tx, user, UUID.randomUUID()))
          .onSuccess(pair -> core.audit.record(ctx, user.id().toString(), "auth.login", user.id().toString(), "success", null))
          .map(ApiReplies.Reply::ok);
      }));
  }

  private Future<ApiReplies.Reply> refresh(RoutingContext ctx) {
    String presented = ctx.body().asJsonObject().getString("refreshToken");
    // Reuse detection must survive the rejection: the family is revoked in its own committed transaction.
    return core.pool.withTransaction(tx -> RefreshTokens.find(tx, presented).compose(stored -> {
      if (stored == null) {
        return Future.succeededFuture(Outcome.refused("refresh_token_invalid", "refresh token is not valid", null, null));
      }
      String user = stored.userId().toString();
      if (stored.revokedAt() != null) {
        return Future.succeededFuture(Outcome.refused("refresh_token_revoked", "refresh token was revoked; log in again", user, "revoked"));
      }
      if (stored.rotatedAt() != null) {
        return RefreshTokens.revokeFamily(tx, stored.familyId()).map(n -> Outcome.refused("refresh_token_reused",
          "refresh token was already used; every session of this login is revoked, log in again", user, "reuse"));
      }
      if (stored.expiresAt().toInstant().isBefore(java.time.Instant.now())) {
        return Future.succeededFuture(Outcome.refused("refresh_token_expired", "refresh token expired; log in again", user, "expired"));
      }
      return Users.byId(tx, stored.userId(), false).compose(u -> {
        if (u == null || !u.active()) {
          return RefreshTokens.revokeFamily(tx, stored.familyId()).map(n -> Outcome.refused("refresh_token_revoked",
            "the account is disabled", user, "disabled"));
        }
        return RefreshTokens.markRotated(tx, stored.id())
          .compose(v -> Tokens.issue(core, tx, u, stored.familyId()))
          .map(pair -> new Outcome(pair, null, null, user, null));
      });
    })).compose(outcome -> {
      if (outcome.pair != null) {
        core.audit.record(ctx, outcome.user, "auth.refresh", outcome.user, "success", null);
        return Future.succeededFuture(ApiReplies.Reply.ok(outcome.pair));
      }
      String action = "reuse".equals(outcome.reason) ? "auth.refresh.reuse" : "auth.refresh";
      core.audit.record(ctx, outcome.user, action, outcome.user, "failure",
        new JsonObject().put("reason", outcome.reason == null ? "unknown_token" : outcome.reason));
      return Future.failedFuture(ApiProblem.unauthorized(outcome.code, outcome.message));
    });
  }

  private record Outcome(JsonObject pair, String code, String message, String user, String reason) {
    static Outcome refused(String code, String message, String user, String reason) {
      return new Outcome(null, code, message, user, reason);
    }
  }

  private Future<ApiReplies.Reply> logout(RoutingContext ctx) {
    String presented = ctx.body().asJsonObject().getString("refreshToken");
    return core.pool.withTransaction(tx -> RefreshTokens.find(tx, presented).compose(stored -> stored == null
      ? Future.succeededFuture((RefreshTokens.Stored) null)
      : RefreshTokens.revokeFamily(tx, stored.familyId()).map(n -> stored)))
      .map(stored -> {
        // Idempotent and silent: an unknown or already revoked token is signed out too.
        if (stored != null) {
          core.audit.record(ctx, stored.userId().toString(), "auth.logout", stored.userId().toString(), "success", null);
        }
        return ApiReplies.Reply.noContent();
      });
  }
}
