package io.junction.identity;

import io.junction.http.ApiProblem;
import io.junction.http.ApiReplies;
import io.junction.http.AdminApi;
import io.junction.http.Caller;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlClient;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code /api/v1/users}: accounts, their passwords, roles and API keys. */
final class UsersApi implements AdminApi {
  private final IdentityCore core;

  UsersApi(IdentityCore core) {
    this.core = core;
  }

  @Override
  public Map<String, Handler<RoutingContext>> operations() {
    return Map.ofEntries(
      Map.entry("createUser", ApiReplies.handler("identity", this::create)),
      Map.entry("listUsers", ApiReplies.handler("identity", this::list)),
      Map.entry("getMe", ApiReplies.handler("identity", ctx -> get(ctx, Caller.of(ctx).userId()))),
      Map.entry("changeOwnPassword", ApiReplies.handler("identity", ctx -> password(ctx, Caller.of(ctx).userId()))),
      Map.entry("getUser", ApiReplies.handler("identity", ctx -> get(ctx, ctx.pathParam("id")))),
      Map.entry("updateUser", ApiReplies.handler("identity", this::update)),
      Map.entry("deleteUser", ApiReplies.handler("identity", this::delete)),
      Map.entry("setUserPassword", ApiReplies.handler("identity", ctx -> password(ctx, ctx.pathParam("id")))),
      Map.entry("addUserRoles", ApiReplies.handler("identity", ctx -> roles(ctx, true))),
      Map.entry("removeUserRoles", ApiReplies.handler("identity", ctx -> roles(ctx, false))),
      Map.entry("listApiKeys", ApiReplies.handler("identity", this::listKeys)),
      Map.entry("createApiKey", ApiReplies.handler("identity", this::createKey)),
      Map.entry("revokeApiKey", ApiReplies.handler("identity", this::revokeKey)));
  }

  private static String actor(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    return caller == null ? "anonymous" : caller.userId();
  }

  private static List<String> strings(JsonArray array) {
    return array == null ? List.of() : array.stream().map(String::valueOf).distinct().toList();
  }

  private Future<ApiReplies.Reply> create(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    String email = body.getString("email").trim();
    String password = body.getString("password");
    List<String> roles = strings(body.getJsonArray("roles"));
    core.checkPolicy("password", password, email);
    if (!roles.isEmpty() && !Caller.of(ctx).can("identity.roles.write")) {
      throw ApiProblem.forbidden("giving roles to a new user needs permission identity.roles.write");
    }
    UUID id = UUID.randomUUID();
    return core.hash(password).compose(hash -> core.pool.withTransaction(tx -> Users.byEmail(tx, email).compose(existing -> {
      if (existing != null) {
        return Future.failedFuture(ApiProblem.conflict("a user with email " + email + " exists"));
      }
      return Users.insert(tx, id, email, hash, body.getString("status", "active"))
        .compose(u -> roles.isEmpty() ? Future.succeededFuture() : Users.addRoles(tx, id, roles))
        .compose(v -> Users.byId(tx, id, false))
        .compose(u -> core.event(tx, "user.created", u.id().toString(), u.toJson(), actor(ctx)).map(u));
    }))).map(u -> {
      core.audit.record(ctx, actor(ctx), "identity.user.create", u.id().toString(), "success",
        new JsonObject().put("email", u.email()).put("roles", new JsonArray(u.roles())));
      if (!u.roles().isEmpty()) {
        core.broadcast();
      }
      return new ApiReplies.Reply(201, u.toJson(), u.version(), "/api/v1/users/" + u.id());
    });
  }

  private Future<ApiReplies.Reply> list(RoutingContext ctx) {
    int limit = ApiReplies.limit(ctx);
    String cursor = ctx.queryParams().get("cursor");
    String after = cursor == null ? null : PageCursor.decode(cursor);
    return Users.page(core.pool, ctx.queryParams().get("email"), ctx.queryParams().get("status"), after, limit).map(users -> {
      JsonArray items = new JsonArray();
      users.stream().limit(limit).forEach(u -> items.add(u.toJson()));
      String next = users.size() > limit ? Users.cursorOf(users.get(limit - 1)) : null;
      return ApiReplies.Reply.ok(new JsonObject().put("items", items).put("nextCursor", next));
    });
  }

  private Future<Users.User> live(SqlClient sql, String id, boolean lock) {
    UUID uuid = IdentityCore.uuid(id, "user " + id);
    return Users.byId(sql, uuid, lock).compose(u -> u == null || u.status().equals("deleted")
      ? Future.failedFuture(ApiProblem.notFound("user " + id)) : Future.succeededFuture(u));
  }

  private Future<ApiReplies.Reply> get(RoutingContext ctx, String id) {
    return live(core.pool, id, false).map(u -> ApiReplies.Reply.ok(u.toJson()).withEtag(u.version()));
  }

  private Future<ApiReplies.Reply> update(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    long expected = ApiReplies.ifMatch(ctx, false);
    JsonObject body = ctx.body().asJsonObject();
    String email = body.getString("email").trim();
    String status = body.getString("status");
    return core.pool.withTransaction(tx -> Users.lockAdmins(tx).compose(v -> live(tx, id, true)).compose(u -> {
      if (expected > 0 && expected != u.version()) {
        return Future.failedFuture(Refusals.stale(u.version()));
      }
      Future<Void> checks = Future.succeededFuture();
      if (!status.equals("active") && u.active() && u.roles().contains("admin")) {
        checks = Users.otherActiveAdmins(tx, u.id()).compose(n -> n == 0
          ? Future.failedFuture(ApiProblem.conflict("user " + id + " is the last active admin and cannot be disabled"))
          : Future.succeededFuture());
      }
      if (!email.equalsIgnoreCase(u.email())) {
        checks = checks.compose(v -> Users.byEmail(tx, email)).compose(other -> other != null
          ? Future.failedFuture(ApiProblem.conflict("a user with email " + email + " exists")) : Future.succeededFuture());
      }
      return checks.compose(v -> Users.update(tx, u.id(), email, status))
        .compose(v -> status.equals("active") ? Future.succeededFuture() : RefreshTokens.revokeUser(tx, u.id()))
        .compose(v -> Users.byId(tx, u.id(), false))
        .compose(after -> core.event(tx, "user.updated", id, after.toJson(), actor(ctx))
          .map(x -> new Users.User[] {u, after}));
    })).map(pair -> {
      Users.User before = pair[0];
      Users.User after = pair[1];
      core.audit.record(ctx, actor(ctx), "identity.user.update", id, "success", new JsonObject()
        .put("email", after.email()).put("status", after.status()).put("previousStatus", before.status()));
      if (!before.status().equals(after.status())) {
        core.broadcast();
      }
      return ApiReplies.Reply.ok(after.toJson()).withEtag(after.version());
    });
  }

  private Future<ApiReplies.Reply> delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    long expected = ApiReplies.ifMatch(ctx, false);
    return core.pool.withTransaction(tx -> Users.lockAdmins(tx).compose(v -> live(tx, id, true)).compose(u -> {
      if (expected > 0 && expected != u.version()) {
        return Future.failedFuture(Refusals.stale(u.version()));
      }
      Future<Void> checks = u.active() && u.roles().contains("admin")
        ? Users.otherActiveAdmins(tx, u.id()).compose(n -> n == 0
          ? Future.failedFuture(ApiProblem.conflict("user " + id + " is the last active admin and cannot be deleted"))
          : Future.succeededFuture())
        : Future.succeededFuture();
      return checks.compose(x -> Users.update(tx, u.id(), u.email(), "deleted"))
        .compose(x -> RefreshTokens.revokeUser(tx, u.id()))
        .compose(x -> tx.preparedQuery("UPDATE api_keys SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL")
          .execute(io.vertx.sqlclient.Tuple.of(u.id())))
        .compose(x -> core.event(tx, "user.deleted", id, new JsonObject().put("id", id), actor(ctx)));
    })).map(v -> {
      core.audit.record(ctx, actor(ctx), "identity.user.delete", id, "success", null);
      core.broadcast();
      return ApiReplies.Reply.noContent();
    });
  }

  private Future<ApiReplies.Reply> password(RoutingContext ctx, String id) {
    JsonObject body = ctx.body().asJsonObject();
    String oldPassword = body.getString("oldPassword");
    String newPassword = body.getString("newPassword");
    Caller caller = Caller.of(ctx);
    boolean self = caller.userId().equals(id);
    return live(core.pool, id, false).compose(u -> {
      core.checkPolicy("newPassword", newPassword, u.email());
      if (!self) {
        return Future.succeededFuture(u);
      }
      if (oldPassword == null) {
        return Future.failedFuture(ApiProblem.invalid("oldPassword", "is required to change your own password"));
      }
      return core.verify(oldPassword, u.passwordHash()).compose(ok -> ok ? Future.succeededFuture(u)
        : Future.failedFuture(ApiProblem.invalid("oldPassword", "does not match the current password")));
    }).compose(u -> core.hash(newPassword).compose(hash -> core.pool.withTransaction(tx -> Users.setPassword(tx, u.id(), hash)
      .compose(v -> RefreshTokens.revokeUser(tx, u.id()))
      .compose(v -> core.event(tx, "user.password-changed", id, new JsonObject().put("id", id), caller.userId())))))
      .map(v -> {
        core.audit.record(ctx, caller.userId(), "identity.user.password", id, "success", new JsonObject().put("self", self));
        return ApiReplies.Reply.noContent();
      });
  }

  private Future<ApiReplies.Reply> roles(RoutingContext ctx, boolean add) {
    String id = ctx.pathParam("id");
    Caller caller = Caller.of(ctx);
    if (caller.userId().equals(id)) {
      throw ApiProblem.forbidden("you cannot change your own roles");
    }
    List<String> roles = strings(ctx.body().asJsonObject().getJsonArray("roles"));
    return core.pool.withTransaction(tx -> Users.lockAdmins(tx).compose(v -> live(tx, id, true)).compose(u -> {
      Future<Void> checks = !add && roles.contains("admin") && u.roles().contains("admin") && u.active()
        ? Users.otherActiveAdmins(tx, u.id()).compose(n -> n == 0
          ? Future.failedFuture(ApiProblem.conflict("user " + id + " is the last active admin; the admin role cannot be removed"))
          : Future.succeededFuture())
        : Future.succeededFuture();
      return checks.compose(x -> add ? Users.addRoles(tx, u.id(), roles) : Users.removeRoles(tx, u.id(), roles))
        .compose(x -> Users.byId(tx, u.id(), false))
        .compose(after -> core.event(tx, "user.roles-changed", id, after.toJson(), caller.userId()).map(after));
    })).map(after -> {
      core.audit.record(ctx, caller.userId(), add ? "identity.user.roles.add" : "identity.user.roles.remove", id, "success",
        new JsonObject().put("roles", new JsonArray(roles)).put("now", new JsonArray(after.roles())));
      core.broadcast();
      return ApiReplies.Reply.ok(after.toJson()).withEtag(after.version());
    });
  }

  private Future<ApiReplies.Reply> listKeys(RoutingContext ctx) {
    int limit = ApiReplies.limit(ctx);
    String cursor = ctx.queryParams().get("cursor");
    String after = cursor == null ? null : PageCursor.decode(cursor);
    return live(core.pool, ctx.pathParam("id"), false).compose(u -> ApiKeys.page(core.pool, u.id(), after, limit)).map(keys -> {
      JsonArray items = new JsonArray();
      keys.stream().limit(limit).forEach(items::add);
      String next = keys.size() > limit ? PageCursor.encode(keys.get(limit - 1).getString("id")) : null;
      return ApiReplies.Reply.ok(new JsonObject().put("items", items).put("nextCursor", next));
    });
  }

  private Future<ApiReplies.Reply> createKey(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    JsonObject body = ctx.body().asJsonObject();
    OffsetDateTime expires = body.getString("expiresAt") == null ? null : OffsetDateTime.parse(body.getString("expiresAt"));
    if (expires != null && expires.isBefore(OffsetDateTime.now())) {
      throw ApiProblem.invalid("expiresAt", "is in the past");
    }
    return core.pool.withTransaction(tx -> live(tx, id, false)
      .compose(u -> ApiKeys.create(tx, u.id(), body.getString("name"), expires))
      .compose(key -> core.event(tx, "user.api-key-created", id, key.copy().put("key", null), actor(ctx)).map(key)))
      .map(key -> {
        core.audit.record(ctx, actor(ctx), "identity.apikey.create", id, "success",
          new JsonObject().put("keyId", key.getString("id")).put("name", key.getString("name")));
        core.broadcast();
        return new ApiReplies.Reply(201, key, 0, "/api/v1/users/" + id + "/api-keys/" + key.getString("id"));
      });
  }

  private Future<ApiReplies.Reply> revokeKey(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    UUID keyId = IdentityCore.uuid(ctx.pathParam("keyId"), "API key " + ctx.pathParam("keyId"));
    return core.pool.withTransaction(tx -> live(tx, id, false).compose(u -> ApiKeys.revoke(tx, u.id(), keyId))
      .compose(found -> found
        ? core.event(tx, "user.api-key-revoked", id, new JsonObject().put("keyId", keyId.toString()), actor(ctx))
        : Future.failedFuture(ApiProblem.notFound("API key " + keyId))))
      .map(v -> {
        core.audit.record(ctx, actor(ctx), "identity.apikey.revoke", id, "success", new JsonObject().put("keyId", keyId.toString()));
        core.broadcast();
        return ApiReplies.Reply.noContent();
      });
  }
}
