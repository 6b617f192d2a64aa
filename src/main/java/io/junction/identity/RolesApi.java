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

import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/roles} and {@code /api/v1/permissions}. Built-in roles cannot be deleted, and {@code admin}
 * always keeps every permission the admin API declares. Every change is broadcast, so the next request on any
 * node sees it.
 */
final class RolesApi implements AdminApi {
  private final IdentityCore core;

  RolesApi(IdentityCore core) {
    this.core = core;
  }

  @Override
  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
      "listRoles", ApiReplies.handler("identity", this::list),
      "createRole", ApiReplies.handler("identity", this::create),
      "getRole", ApiReplies.handler("identity", ctx -> existing(core.pool, ctx.pathParam("id"), false).map(r -> ApiReplies.Reply.ok(r.toJson()).withEtag(r.version()))),
      "updateRole", ApiReplies.handler("identity", this::update),
      "deleteRole", ApiReplies.handler("identity", this::delete),
      "addRolePermissions", ApiReplies.handler("identity", ctx -> change(ctx, true)),
      "removeRolePermissions", ApiReplies.handler("identity", ctx -> change(ctx, false)),
      "listPermissions", ApiReplies.handler("identity", this::permissions));
  }

  private static String actor(RoutingContext ctx) {
    return Caller.of(ctx).userId();
  }

  private static List<String> permissionsIn(JsonObject body) {
    JsonArray array = body.getJsonArray("permissions");
    List<String> out = array == null ? List.of() : array.stream().map(String::valueOf).distinct().toList();
    for (String p : out) {
      if (!Roles.PERMISSION.matcher(p).matches()) {
        throw ApiProblem.invalid("permissions", "contains '" + p + "', not of the form module.resource.action");
      }
    }
    return out;
  }

  private Future<Roles.Role> existing(SqlClient sql, String id, boolean lock) {
    return Roles.byId(sql, id, lock).compose(r -> r == null ? Future.failedFuture(ApiProblem.notFound("role " + id)) : Future.succeededFuture(r));
  }

  private Future<ApiReplies.Reply> list(RoutingContext ctx) {
    int limit = ApiReplies.limit(ctx);
    String cursor = ctx.queryParams().get("cursor");
    return Roles.page(core.pool, cursor == null ? null : PageCursor.decode(cursor), limit).map(roles -> {
      JsonArray items = new JsonArray();
      roles.stream().limit(limit).forEach(r -> items.add(r.toJson()));
      String next = roles.size() > limit ? PageCursor.encode(roles.get(limit - 1).id()) : null;
      return ApiReplies.Reply.ok(new JsonObject().put("items", items).put("nextCursor", next));
    });
  }

  private Future<ApiReplies.Reply> permissions(RoutingContext ctx) {
    int limit = ApiReplies.limit(ctx);
    String cursor = ctx.queryParams().get("cursor");
    return Roles.permissionsPage(core.pool, cursor == null ? null : PageCursor.decode(cursor), limit).map(list -> {
      JsonArray items = new JsonArray();
      list.stream().limit(limit).forEach(items::add);
      String next = list.size() > limit ? PageCursor.encode(list.get(limit - 1).getString("id")) : null;
      return ApiReplies.Reply.ok(new JsonObject().put("items", items).put("nextCursor", next));
    });
  }

  private Future<ApiReplies.Reply> create(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    String id = body.getString("id");
    List<String> permissions = permissionsIn(body);
    return core.pool.withTransaction(tx -> Roles.byId(tx, id, false).compose(found -> found != null
        ? Future.failedFuture(ApiProblem.conflict("role " + id + " exists"))
        : Roles.insert(tx, id, body.getString("description")))
      .compose(v -> permissions.isEmpty() ? Future.succeededFuture() : Roles.grant(tx, id, permissions))
      .compose(v -> existing(tx, id, false))
      .compose(r -> core.event(tx, "role.created", id, r.toJson(), actor(ctx)).map(r)))
      .map(r -> {
        core.audit.record(ctx, actor(ctx), "identity.role.create", id, "success", new JsonObject().put("permissions", new JsonArray(r.permissions())));
        core.broadcast();
        return new ApiReplies.Reply(201, r.toJson(), r.version(), "/api/v1/roles/" + id);
      });
  }

  private Future<ApiReplies.Reply> update(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    long expected = ApiReplies.ifMatch(ctx, false);
    JsonObject body = ctx.body().asJsonObject();
    List<String> permissions = permissionsIn(body);
    return core.pool.withTransaction(tx -> existing(tx, id, true).compose(r -> {
      if (expected > 0 && expected != r.version()) {
        return Future.failedFuture(Refusals.stale(r.version()));
      }
      return guardAdmin(tx, id, r.permissions().stream().filter(p -> !permissions.contains(p)).toList())
        .compose(v -> Roles.update(tx, id, body.getString("description")))
        .compose(v -> Roles.revokeAll(tx, id))
        .compose(v -> permissions.isEmpty() ? Future.succeededFuture() : Roles.grant(tx, id, permissions))
        .compose(v -> existing(tx, id, false))
        .compose(after -> core.event(tx, "role.updated", id, after.toJson(), actor(ctx)).map(after));
    })).map(r -> {
      core.audit.record(ctx, actor(ctx), "identity.role.update", id, "success", new JsonObject().put("permissions", new JsonArray(r.permissions())));
      core.broadcast();
      return ApiReplies.Reply.ok(r.toJson()).withEtag(r.version());
    });
  }

  private Future<ApiReplies.Reply> delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    long expected = ApiReplies.ifMatch(ctx, false);
    return core.pool.withTransaction(tx -> existing(tx, id, true).compose(r -> {
      if (expected > 0 && expected != r.version()) {
        return Future.failedFuture(Refusals.stale(r.version()));
      }
      if (r.builtIn()) {
        return Future.failedFuture(ApiProblem.conflict("role " + id + " is built in and cannot be deleted"));
      }
      // Holders of the role lose it: their tokens are re-evaluated on the next request.
      return tx.preparedQuery("UPDATE users SET authz_changed_at = now() WHERE id IN (SELECT user_id FROM user_roles WHERE role_id = $1)")
        .execute(io.vertx.sqlclient.Tuple.of(id))
        .compose(v -> Roles.delete(tx, id))
        .compose(v -> core.event(tx, "role.deleted", id, new JsonObject().put("id", id), actor(ctx)));
    })).map(v -> {
      core.audit.record(ctx, actor(ctx), "identity.role.delete", id, "success", null);
      core.broadcast();
      return ApiReplies.Reply.noContent();
    });
  }

  private Future<ApiReplies.Reply> change(RoutingContext ctx, boolean add) {
    String id = ctx.pathParam("id");
    List<String> permissions = permissionsIn(ctx.body().asJsonObject());
    return core.pool.withTransaction(tx -> existing(tx, id, true)
      .compose(r -> add ? Roles.grant(tx, id, permissions) : guardAdmin(tx, id, permissions).compose(v -> Roles.revoke(tx, id, permissions)))
      .compose(v -> Roles.bump(tx, id))
      .compose(v -> existing(tx, id, false))
      .compose(after -> core.event(tx, "role.updated", id, after.toJson(), actor(ctx)).map(after)))
      .map(r -> {
        core.audit.record(ctx, actor(ctx), add ? "identity.role.permissions.add" : "identity.role.permissions.remove", id, "success",
          new JsonObject().put("permissions", new JsonArray(permissions)));
        core.broadcast();
        return ApiReplies.Reply.ok(r.toJson()).withEtag(r.version());
      });
  }

  /** The admin role keeps every permission the platform declares, or nobody could administer Junction. */
  private Future<Void> guardAdmin(SqlClient tx, String role, List<String> removed) {
    if (!role.equals("admin") || removed.isEmpty()) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery("SELECT id FROM permissions WHERE built_in AND id = ANY($1)")
      .execute(io.vertx.sqlclient.Tuple.of((Object) removed.toArray(String[]::new)))
      .compose(rows -> rows.size() == 0 ? Future.succeededFuture()
        : Future.failedFuture(ApiProblem.conflict("the built-in admin role keeps the platform's permissions; cannot remove "
          + rows.iterator().next().getString(0))));
  }
}
