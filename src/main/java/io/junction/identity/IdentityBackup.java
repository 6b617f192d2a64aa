package io.junction.identity;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The identity module's part of backups, on the bus:
 * <ul>
 *   <li>{@code junction.identity.export} → {@code {roles: [{id, description, builtIn, permissions}],
 *       permissions: [{id, description, builtIn}], users: [{id, email, status, roles}]}} — never a password hash,
 *       API key, refresh token or signing key;</li>
 *   <li>{@code junction.identity.import} ({@code {identity, dryRun}}) → {@code {roles, permissions, users}} counts:
 *       checks the document, then applies it in one transaction (a dry run rolls that transaction back, so the
 *       database's own constraints are checked too); fails 400 naming the problem, and then nothing changed.</li>
 * </ul>
 * An import creates or updates what the backup lists and removes nothing: roles, permissions and users that are
 * not in it stay as they are (a restore cannot lock out the administrator running it). Users created by an
 * import have no password until an administrator sets one. The built-in admin role keeps every built-in
 * permission whatever the backup says.
 */
final class IdentityBackup {
  static final String EXPORT_ADDRESS = "junction.identity.export";
  static final String IMPORT_ADDRESS = "junction.identity.import";
  private static final Pattern ROLE_ID = Pattern.compile("^[a-z][a-z0-9-]{0,62}$");
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");
  private static final Set<String> STATUSES = Set.of("active", "disabled", "deleted");

  /** Thrown inside a dry run's transaction to roll it back after every statement ran. */
  private static final class DryRun extends RuntimeException {
    DryRun() {
      super("dry run", null, false, false);
    }
  }

  private final IdentityCore core;

  IdentityBackup(IdentityCore core) {
    this.core = core;
  }

  void register(Vertx vertx) {
    vertx.eventBus().<JsonObject>consumer(EXPORT_ADDRESS, msg -> export()
      .onSuccess(msg::reply)
      .onFailure(err -> msg.fail(503, "identity store unavailable: " + err.getMessage())));
    vertx.eventBus().<JsonObject>consumer(IMPORT_ADDRESS, msg -> {
      JsonObject body = msg.body() == null ? new JsonObject() : msg.body();
      JsonObject identity = body.getValue("identity") instanceof JsonObject o ? o : null;
      boolean dryRun = body.getBoolean("dryRun", false);
      List<String> problems = identity == null ? List.of("identity: must be an object") : check(identity);
      if (!problems.isEmpty()) {
        msg.fail(400, String.join("; ", problems));
        return;
      }
      apply(identity, dryRun).onComplete(ar -> {
        if (ar.succeeded()) {
          if (!dryRun) {
            core.broadcast();
          }
          msg.reply(ar.result());
        } else if (ar.cause() instanceof PgException pg && pg.getSqlState() != null && (pg.getSqlState().startsWith("23") || pg.getSqlState().startsWith("22"))) {
          msg.fail(400, "identity: " + pg.getErrorMessage() + (pg.getDetail() == null ? "" : " (" + pg.getDetail() + ")"));
        } else {
          msg.fail(503, "identity store unavailable: " + ar.cause().getMessage());
        }
      });
    });
  }

  private Future<JsonObject> export() {
    return core.pool.withTransaction(tx -> tx.query("SELECT id, description, built_in, ARRAY(SELECT permission_id FROM role_permissions p"
        + " WHERE p.role_id = r.id ORDER BY permission_id) AS permissions FROM roles r ORDER BY id").execute()
      .compose(roles -> tx.query("SELECT id, description, built_in FROM permissions ORDER BY id").execute()
        .compose(permissions -> tx.query("SELECT u.id, u.email, u.status, ARRAY(SELECT role_id FROM user_roles ur WHERE ur.user_id = u.id"
            + " ORDER BY role_id) AS roles FROM users u ORDER BY u.id").execute()
          .map(users -> {
            JsonArray roleList = new JsonArray();
            for (Row r : roles) {
              roleList.add(new JsonObject().put("id", r.getString("id")).put("description", r.getString("description"))
                .put("builtIn", r.getBoolean("built_in")).put("permissions", new JsonArray(List.of(r.getArrayOfStrings("permissions")))));
            }
            JsonArray permissionList = new JsonArray();
            for (Row p : permissions) {
              permissionList.add(new JsonObject().put("id", p.getString("id")).put("description", p.getString("description"))
                .put("builtIn", p.getBoolean("built_in")));
            }
            JsonArray userList = new JsonArray();
            for (Row u : users) {
              userList.add(new JsonObject().put("id", u.getUUID("id").toString()).put("email", u.getString("email"))
                .put("status", u.getString("status")).put("roles", new JsonArray(List.of(u.getArrayOfStrings("roles")))));
            }
            return new JsonObject().put("roles", roleList).put("permissions", permissionList).put("users", userList);
          }))));
  }

  /** Shape problems, each naming its place ({@code identity.users[2].email}). */
  static List<String> check(JsonObject identity) {
    List<String> problems = new ArrayList<>();
    Set<String> roleIds = new HashSet<>();
    JsonArray permissions = array(identity, "permissions", problems);
    for (int i = 0; i < permissions.size(); i++) {
      String where = "identity.permissions[" + i + "]";
      if (!(permissions.getValue(i) instanceof JsonObject p) || !(p.getValue("id") instanceof String id) || !Roles.PERMISSION.matcher(id).matches()) {
        problems.add(where + ".id: must be module.resource.action");
      }
    }
    JsonArray roles = array(identity, "roles", problems);
    for (int i = 0; i < roles.size(); i++) {
      String where = "identity.roles[" + i + "]";
      if (!(roles.getValue(i) instanceof JsonObject role) || !(role.getValue("id") instanceof String id) || !ROLE_ID.matcher(id).matches()) {
        problems.add(where + ".id: must match " + ROLE_ID.pattern());
        continue;
      }
      if (!roleIds.add(id)) {
        problems.add(where + ".id: duplicate role '" + id + "'");
      }
      Object granted = role.getValue("permissions", new JsonArray());
      if (!(granted instanceof JsonArray list) || list.stream().anyMatch(p -> !(p instanceof String s) || !Roles.PERMISSION.matcher(s).matches())) {
        problems.add(where + ".permissions: must be a list of module.resource.action");
      }
    }
    JsonArray users = array(identity, "users", problems);
    Set<String> userIds = new HashSet<>();
    for (int i = 0; i < users.size(); i++) {
      String where = "identity.users[" + i + "]";
      if (!(users.getValue(i) instanceof JsonObject user)) {
        problems.add(where + ": must be an object");
        continue;
      }
      try {
        if (!userIds.add(UUID.fromString(String.valueOf(user.getValue("id"))).toString())) {
          problems.add(where + ".id: duplicate user");
        }
      } catch (IllegalArgumentException e) {
        problems.add(where + ".id: must be a UUID");
      }
      if (!(user.getValue("email") instanceof String email) || !EMAIL.matcher(email).matches()) {
        problems.add(where + ".email: must be an email address");
      }
      if (!STATUSES.contains(String.valueOf(user.getValue("status")))) {
        problems.add(where + ".status: must be one of active, disabled, deleted");
      }
      Object userRoles = user.getValue("roles", new JsonArray());
      if (!(userRoles instanceof JsonArray list) || list.stream().anyMatch(r -> !(r instanceof String))) {
        problems.add(where + ".roles: must be a list of role ids");
      }
    }
    return problems;
  }

  private static JsonArray array(JsonObject identity, String key, List<String> problems) {
    Object value = identity.getValue(key, new JsonArray());
    if (value instanceof JsonArray a) {
      return a;
    }
    problems.add("identity." + key + ": must be a list");
    return new JsonArray();
  }

  private Future<JsonObject> apply(JsonObject identity, boolean dryRun) {
    JsonArray permissions = identity.getJsonArray("permissions", new JsonArray());
    JsonArray roles = identity.getJsonArray("roles", new JsonArray());
    JsonArray users = identity.getJsonArray("users", new JsonArray());
    JsonObject counts = new JsonObject().put("permissions", permissions.size()).put("roles", roles.size()).put("users", users.size());
    Future<JsonObject> applied = core.pool.withTransaction(tx -> {
      Future<Void> chain = Future.succeededFuture();
      for (Object p : permissions) {
        JsonObject permission = (JsonObject) p;
        chain = chain.compose(v -> tx.preparedQuery("INSERT INTO permissions (id, description) VALUES ($1, $2)"
            + " ON CONFLICT (id) DO UPDATE SET description = EXCLUDED.description")
          .execute(Tuple.of(permission.getString("id"), permission.getString("description"))).mapEmpty());
      }
      for (Object r : roles) {
        JsonObject role = (JsonObject) r;
        String id = role.getString("id");
        List<String> granted = role.getJsonArray("permissions", new JsonArray()).stream().map(String::valueOf).toList();
        chain = chain.compose(v -> tx.preparedQuery("INSERT INTO roles (id, description) VALUES ($1, $2)"
              + " ON CONFLICT (id) DO UPDATE SET description = EXCLUDED.description, version = roles.version + 1")
            .execute(Tuple.of(id, role.getString("description"))))
          .compose(v -> tx.preparedQuery("DELETE FROM role_permissions WHERE role_id = $1").execute(Tuple.of(id)))
          .compose(v -> granted.isEmpty() ? Future.succeededFuture() : Roles.grant(tx, id, granted))
          .mapEmpty();
      }
      // the admin role keeps the platform's permissions, or nobody could administer Junction
      chain = chain.compose(v -> tx.query("INSERT INTO role_permissions (role_id, permission_id) SELECT 'admin', id FROM permissions"
        + " WHERE built_in ON CONFLICT DO NOTHING").execute()).mapEmpty();
      for (Object u : users) {
        JsonObject user = (JsonObject) u;
        UUID id = UUID.fromString(user.getString("id"));
        String[] userRoles = user.getJsonArray("roles", new JsonArray()).stream().map(String::valueOf).toArray(String[]::new);
        chain = chain.compose(v -> tx.preparedQuery("INSERT INTO users (id, email, status) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE"
              + " SET email = EXCLUDED.email, status = EXCLUDED.status, updated_at = now(), version = users.version + 1, authz_changed_at = now()")
            .execute(Tuple.of(id, user.getString("email"), user.getString("status"))))
          .compose(v -> tx.preparedQuery("DELETE FROM user_roles WHERE user_id = $1").execute(Tuple.of(id)))
          .compose(v -> userRoles.length == 0 ? Future.succeededFuture()
            : tx.preparedQuery("INSERT INTO user_roles (user_id, role_id) SELECT $1, unnest($2::text[])").execute(Tuple.of(id, (Object) userRoles)))
          .mapEmpty();
      }
      return chain.compose(v -> dryRun ? Future.failedFuture(new DryRun()) : Future.succeededFuture(counts));
    });
    return dryRun ? applied.recover(err -> err instanceof DryRun ? Future.succeededFuture(counts) : Future.failedFuture(err)) : applied;
  }
}
