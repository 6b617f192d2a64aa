package io.junction.http.api;

import io.junction.http.AdminApi;
import io.junction.http.AdminAuth;
import io.junction.http.ApiError;
import io.junction.http.AuthException;
import io.junction.http.Caller;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-side identity module: real handlers for every operation of both contracts, answering from in-memory
 * maps, plus an authenticator whose tokens are "t-&lt;userId&gt;". Every handler counts its calls, so a test can
 * prove a bad request never reached one. Tokens of users whose roles lack a permission get 403s for real.
 */
final class InMemoryIdentity {
  static final String ADMIN_EMAIL = "admin@example.com";
  static final String VIEWER_EMAIL = "viewer@example.com";
  static final String PASSWORD = "pw-123";

  private final Map<String, JsonObject> users = new ConcurrentHashMap<>();
  private final Map<String, String> passwords = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> roles = new ConcurrentHashMap<>();
  private final Map<String, Map<String, JsonObject>> keys = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  final String adminId;
  final String viewerId;

  InMemoryIdentity() {
    role("admin", List.of("identity.users.read", "identity.users.write", "identity.roles.read", "identity.roles.write"));
    role("viewer", List.of("identity.users.read", "identity.roles.read"));
    adminId = user(ADMIN_EMAIL, "admin").getString("id");
    viewerId = user(VIEWER_EMAIL, "viewer").getString("id");
  }

  String token(String userId) {
    return "t-" + userId;
  }

  int calls(String operationId) {
    AtomicInteger n = calls.get(operationId);
    return n == null ? 0 : n.get();
  }

  int totalCalls() {
    return calls.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  AdminAuth auth() {
    return header -> {
      if (header == null || !header.startsWith("Bearer ")) {
        throw new AuthException("unauthorized", "a bearer token is required");
      }
      String token = header.substring(7);
      JsonObject user = token.startsWith("t-") ? users.get(token.substring(2)) : null;
      if (user == null) {
        throw new AuthException("invalid_token", "the token is not valid");
      }
      Set<String> roleIds = new HashSet<>(user.getJsonArray("roles").getList());
      Set<String> permissions = new HashSet<>();
      for (String r : roleIds) {
        JsonObject role = roles.get(r);
        if (role != null) {
          role.getJsonArray("permissions").forEach(p -> permissions.add((String) p));
        }
      }
      return new Caller(user.getString("id"), user.getString("email"), roleIds, permissions);
    };
  }

  AdminApi adminApi() {
    Map<String, Handler<RoutingContext>> ops = new LinkedHashMap<>(io.junction.routes.RoutesApiStub.operations()); // other modules' operations
    ops.put("createUser", this::createUser);
    ops.put("listUsers", this::listUsers);
    ops.put("getMe", ctx -> sendUser(ctx, 200, users.get(Caller.of(ctx).userId())));
    ops.put("changeOwnPassword", ctx -> {
      JsonObject body = ctx.body().asJsonObject();
      String id = Caller.of(ctx).userId();
      if (!passwords.get(id).equals(body.getString("oldPassword"))) {
        ApiError.send(ctx.response(), 400, "invalid_request", "the old password is wrong",
          new JsonArray().add(ErrorDetails.body("/oldPassword", "value", "is not your current password")));
        return;
      }
      passwords.put(id, body.getString("newPassword"));
      ctx.response().setStatusCode(204).end();
    });
    ops.put("getUser", ctx -> withUser(ctx, user -> sendUser(ctx, 200, user)));
    ops.put("updateUser", ctx -> withUser(ctx, user -> {
      if (stale(ctx, user)) {
        return;
      }
      JsonObject body = ctx.body().asJsonObject();
      if (emailTaken(body.getString("email"), user.getString("id"))) {
        ApiError.send(ctx.response(), 409, "conflict", "a user with this email exists", null);
        return;
      }
      user.put("email", body.getString("email")).put("status", body.getString("status")).put("updatedAt", now())
        .put("version", user.getInteger("version") + 1);
      sendUser(ctx, 200, user);
    }));
    ops.put("deleteUser", ctx -> withUser(ctx, user -> {
      if (!stale(ctx, user)) {
        users.remove(user.getString("id"));
        ctx.response().setStatusCode(204).end();
      }
    }));
    ops.put("setUserPassword", ctx -> withUser(ctx, user -> {
      passwords.put(user.getString("id"), ctx.body().asJsonObject().getString("newPassword"));
      ctx.response().setStatusCode(204).end();
    }));
    ops.put("addUserRoles", ctx -> changeRoles(ctx, true));
    ops.put("removeUserRoles", ctx -> changeRoles(ctx, false));
    ops.put("listApiKeys", ctx -> withUser(ctx, user -> page(ctx, new ArrayList<>(keys.getOrDefault(user.getString("id"), Map.of()).values()))));
    ops.put("createApiKey", ctx -> withUser(ctx, user -> {
      JsonObject body = ctx.body().asJsonObject();
      String id = UUID.randomUUID().toString();
      JsonObject key = new JsonObject().put("id", id).put("name", body.getString("name")).put("prefix", "jk_" + id.substring(0, 4))
        .put("createdAt", now()).put("expiresAt", body.getString("expiresAt"));
      keys.computeIfAbsent(user.getString("id"), k -> new ConcurrentHashMap<>()).put(id, key);
      ctx.response().setStatusCode(201).putHeader("Location", ctx.request().path() + "/" + id)
        .putHeader("Content-Type", "application/json").end(key.copy().put("key", "jk_" + id).encode());
    }));
    ops.put("revokeApiKey", ctx -> withUser(ctx, user -> {
      Map<String, JsonObject> own = keys.getOrDefault(user.getString("id"), Map.of());
      if (own.remove(ctx.pathParam("keyId")) == null) {
        ApiError.send(ctx.response(), 404, "not_found", "no such API key", null);
      } else {
        ctx.response().setStatusCode(204).end();
      }
    }));
    ops.put("listRoles", ctx -> page(ctx, new ArrayList<>(new java.util.TreeMap<>(roles).values())));
    ops.put("createRole", ctx -> {
      JsonObject body = ctx.body().asJsonObject();
      if (roles.containsKey(body.getString("id"))) {
        ApiError.send(ctx.response(), 409, "conflict", "role exists", null);
        return;
      }
      JsonObject role = role(body.getString("id"), body.getJsonArray("permissions", new JsonArray()).getList());
      role.put("builtIn", false).put("description", body.getString("description"));
      ctx.response().putHeader("Location", "/api/v1/roles/" + role.getString("id"));
      sendRole(ctx, 201, role);
    });
    ops.put("getRole", ctx -> withRole(ctx, role -> sendRole(ctx, 200, role)));
    ops.put("updateRole", ctx -> withRole(ctx, role -> {
      JsonObject body = ctx.body().asJsonObject();
      role.put("description", body.getString("description")).put("permissions", body.getJsonArray("permissions"))
        .put("version", role.getInteger("version") + 1);
      sendRole(ctx, 200, role);
    }));
    ops.put("deleteRole", ctx -> withRole(ctx, role -> {
      if (role.getBoolean("builtIn")) {
        ApiError.send(ctx.response(), 409, "conflict", "built-in roles cannot be deleted", null);
        return;
      }
      roles.remove(role.getString("id"));
      ctx.response().setStatusCode(204).end();
    }));
    ops.put("addRolePermissions", ctx -> withRole(ctx, role -> {
      ctx.body().asJsonObject().getJsonArray("permissions").forEach(p -> {
        if (!role.getJsonArray("permissions").contains(p)) {
          role.getJsonArray("permissions").add(p);
        }
      });
      sendRole(ctx, 200, role);
    }));
    ops.put("removeRolePermissions", ctx -> withRole(ctx, role -> {
      ctx.body().asJsonObject().getJsonArray("permissions").forEach(p -> role.getJsonArray("permissions").remove(p));
      sendRole(ctx, 200, role);
    }));
    ops.put("listPermissions", ctx -> page(ctx, List.of(
      new JsonObject().put("id", "identity.users.read").put("description", "Read users"),
      new JsonObject().put("id", "identity.users.write").put("description", null))));
    // The audit module's operations (tested with the real module in io.junction.audit): an empty log.
    ops.put("listAudit", ctx -> page(ctx, List.of()));
    ops.put("exportAudit", ctx -> ctx.response().putHeader("Content-Type", "application/x-ndjson").end());
    ops.put("verifyAudit", ctx -> ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
      .put("ok", true).put("checked", 0).put("firstBadSeq", null).put("reason", null).put("fromSeq", null).put("toSeq", null)
      .put("archives", 0).encode()));
    return counted(ops);
  }

  AdminApi authApi() {
    Map<String, Handler<RoutingContext>> ops = new LinkedHashMap<>();
    ops.put("login", ctx -> {
      JsonObject body = ctx.body().asJsonObject();
      JsonObject user = users.values().stream().filter(u -> u.getString("email").equals(body.getString("email"))).findFirst().orElse(null);
      if (user == null || !passwords.get(user.getString("id")).equals(body.getString("password"))) {
        ApiError.send(ctx.response(), 401, "invalid_credentials", "email or password is wrong", null);
        return;
      }
      json(ctx, 200, tokens(user.getString("id")));
    });
    ops.put("refresh", ctx -> {
      String token = ctx.body().asJsonObject().getString("refreshToken");
      if (!token.startsWith("r-") || !users.containsKey(token.substring(2))) {
        ApiError.send(ctx.response(), 401, "invalid_token", "the refresh token is not valid", null);
        return;
      }
      json(ctx, 200, tokens(token.substring(2)));
    });
    ops.put("logout", ctx -> ctx.response().setStatusCode(204).end());
    ops.put("getJwks", ctx -> json(ctx, 200, new JsonObject().put("keys", new JsonArray().add(new JsonObject()
      .put("kty", "EC").put("kid", "k1").put("alg", "ES256").put("use", "sig").put("crv", "P-256").put("x", "f83O").put("y", "x_FE")))));
    return counted(ops);
  }

  private AdminApi counted(Map<String, Handler<RoutingContext>> ops) {
    Map<String, Handler<RoutingContext>> wrapped = new HashMap<>();
    ops.forEach((id, handler) -> wrapped.put(id, ctx -> {
      calls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      handler.handle(ctx);
    }));
    return () -> wrapped;
  }

  private JsonObject tokens(String userId) {
    return new JsonObject().put("accessToken", token(userId)).put("tokenType", "Bearer").put("expiresIn", 900)
      .put("refreshToken", "r-" + userId).put("refreshExpiresIn", 86400);
  }

  private void createUser(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    if (emailTaken(body.getString("email"), null)) {
      ApiError.send(ctx.response(), 409, "conflict", "a user with this email exists", null);
      return;
    }
    JsonObject user = user(body.getString("email"), body.getJsonArray("roles", new JsonArray()).stream().map(String::valueOf).toArray(String[]::new));
    user.put("status", body.getString("status", "active"));
    passwords.put(user.getString("id"), body.getString("password"));
    ctx.response().putHeader("Location", "/api/v1/users/" + user.getString("id"));
    sendUser(ctx, 201, user);
  }

  private void listUsers(RoutingContext ctx) {
    String email = ctx.queryParams().get("email");
    String status = ctx.queryParams().get("status");
    List<JsonObject> matching = users.values().stream()
      .filter(u -> email == null || u.getString("email").toLowerCase().contains(email.toLowerCase()))
      .filter(u -> status == null || u.getString("status").equals(status))
      .sorted((a, b) -> a.getString("email").compareTo(b.getString("email"))).toList();
    page(ctx, matching);
  }

  /** Cursor = the index of the next item, as text: enough for a test double. */
  private void page(RoutingContext ctx, List<JsonObject> all) {
    int limit = Integer.parseInt(ctx.queryParams().get("limit") == null ? "50" : ctx.queryParams().get("limit"));
    int from = ctx.queryParams().get("cursor") == null ? 0 : Integer.parseInt(ctx.queryParams().get("cursor"));
    int to = Math.min(all.size(), from + limit);
    json(ctx, 200, new JsonObject().put("items", new JsonArray(new ArrayList<>(all.subList(Math.min(from, to), to))))
      .put("nextCursor", to < all.size() ? String.valueOf(to) : null));
  }

  private void changeRoles(RoutingContext ctx, boolean add) {
    withUser(ctx, user -> {
      if (user.getString("id").equals(Caller.of(ctx).userId())) {
        ApiError.send(ctx.response(), 403, "forbidden", "you cannot change your own roles", null);
        return;
      }
      JsonArray current = user.getJsonArray("roles");
      for (Object r : ctx.body().asJsonObject().getJsonArray("roles")) {
        if (add && !current.contains(r)) {
          current.add(r);
        } else if (!add) {
          current.remove(r);
        }
      }
      sendUser(ctx, 200, user);
    });
  }

  private boolean emailTaken(String email, String except) {
    return users.values().stream().anyMatch(u -> u.getString("email").equalsIgnoreCase(email) && !u.getString("id").equals(except));
  }

  private boolean stale(RoutingContext ctx, JsonObject resource) {
    String ifMatch = ctx.request().getHeader("If-Match");
    if (ifMatch != null && !ifMatch.equals(etag(resource))) {
      ApiError.send(ctx.response(), 412, "precondition_failed", "the resource is at version " + etag(resource), null);
      return true;
    }
    return false;
  }

  private void withUser(RoutingContext ctx, java.util.function.Consumer<JsonObject> action) {
    JsonObject user = users.get(ctx.pathParam("id"));
    if (user == null) {
      ApiError.send(ctx.response(), 404, "not_found", "no user " + ctx.pathParam("id"), null);
    } else {
      action.accept(user);
    }
  }

  private void withRole(RoutingContext ctx, java.util.function.Consumer<JsonObject> action) {
    JsonObject role = roles.get(ctx.pathParam("id"));
    if (role == null) {
      ApiError.send(ctx.response(), 404, "not_found", "no role " + ctx.pathParam("id"), null);
    } else {
      action.accept(role);
    }
  }

  private void sendUser(RoutingContext ctx, int status, JsonObject user) {
    ctx.response().putHeader("ETag", etag(user));
    json(ctx, status, user);
  }

  private void sendRole(RoutingContext ctx, int status, JsonObject role) {
    ctx.response().putHeader("ETag", etag(role));
    json(ctx, status, role);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  private static String etag(JsonObject resource) {
    return "\"" + resource.getInteger("version") + "\"";
  }

  private JsonObject user(String email, String... roleIds) {
    String id = UUID.randomUUID().toString();
    JsonObject user = new JsonObject().put("id", id).put("email", email).put("status", "active")
      .put("roles", new JsonArray(List.of(roleIds))).put("createdAt", now()).put("updatedAt", now()).put("version", 1);
    users.put(id, user);
    passwords.put(id, PASSWORD);
    return user;
  }

  private JsonObject role(String id, List<?> permissions) {
    JsonObject role = new JsonObject().put("id", id).put("description", null).put("builtIn", true)
      .put("permissions", new JsonArray(new ArrayList<>(permissions))).put("createdAt", now()).put("version", 1);
    roles.put(id, role);
    return role;
  }

  private static String now() {
    return Instant.now().toString();
  }
}
