package io.junction.identity;

import io.junction.events.EventEnvelope;
import io.junction.events.Outbox;
import io.junction.http.ApiProblem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The identity part of backups, run with the caller's transaction so that the routes module can restore
 * routes, services, permissions, roles and users in one transaction (a failure anywhere changes nothing):
 * <ul>
 *   <li>{@link #export} → {@code {roles: [{id, description, builtIn, permissions}], permissions: [{id, description,
 *       builtIn}], users: [{id, email, status, roles}]}} — never a password hash, API key, refresh token or signing key;</li>
 *   <li>{@link #check} — the document's shape, each problem naming its field ({@code identity.users[2].email});</li>
 *   <li>{@link #restore} — the stored identity becomes the backup's, and the differences are returned.</li>
 * </ul>
 * Replace semantics of a restore: permissions and roles in the backup are created or updated; those not in it are
 * removed unless built in (built-in ones stay, and the admin role keeps every built-in permission). Users in the
 * backup are created or updated (email, status, roles; a password is kept); a new user has no password (backups
 * carry no secrets) and cannot log in until an administrator sets one. Users not in the backup are deleted as
 * {@code DELETE /api/v1/users/{id}} does (status {@code deleted}, tokens and API keys revoked; the row stays). A
 * restore that would leave no active admin, or delete or disable the user running it, is refused.
 */
public final class IdentityBackup {
  /** Sent after a restore committed: the identity module broadcasts its new snapshot to every node. */
  public static final String RESTORED_ADDRESS = "junction.identity.restored";
  private static final Pattern ROLE_ID = Pattern.compile("^[a-z][a-z0-9-]{0,62}$");
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");
  private static final Set<String> STATUSES = Set.of("active", "disabled", "deleted");

  private record Permission(String id, String description, boolean builtIn) {
    JsonObject toJson() {
      return new JsonObject().put("id", id).put("description", description).put("builtIn", builtIn);
    }
  }

  private record Role(String id, String description, boolean builtIn, List<String> permissions) {
    JsonObject toJson() {
      return new JsonObject().put("id", id).put("description", description).put("builtIn", builtIn).put("permissions", new JsonArray(permissions));
    }
  }

  private record User(UUID id, String email, String status, List<String> roles) {
    JsonObject toJson() {
      return new JsonObject().put("id", id.toString()).put("email", email).put("status", status).put("roles", new JsonArray(roles));
    }
  }

  private record Stored(Map<String, Permission> permissions, Map<String, Role> roles, Map<UUID, User> users) {
  }

  private IdentityBackup() {
  }

  static void register(IdentityCore core) {
    core.vertx.eventBus().consumer(RESTORED_ADDRESS, msg -> core.broadcast());
  }

  /** The identity tables as a backup part, read with {@code sql} (the backup's transaction: one consistent snapshot). */
  public static Future<JsonObject> export(SqlClient sql) {
    return read(sql).map(stored -> {
      JsonArray roles = new JsonArray();
      stored.roles().values().forEach(r -> roles.add(r.toJson()));
      JsonArray permissions = new JsonArray();
      stored.permissions().values().forEach(p -> permissions.add(p.toJson()));
      JsonArray users = new JsonArray();
      stored.users().values().forEach(u -> users.add(u.toJson()));
      return new JsonObject().put("roles", roles).put("permissions", permissions).put("users", users);
    });
  }

  private static Future<Stored> read(SqlClient sql) {
    return sql.query("SELECT id, description, built_in FROM permissions ORDER BY id").execute()
      .compose(permissions -> sql.query("SELECT id, description, built_in, ARRAY(SELECT permission_id FROM role_permissions p"
          + " WHERE p.role_id = r.id ORDER BY permission_id) AS permissions FROM roles r ORDER BY id").execute()
        .compose(roles -> sql.query("SELECT u.id, u.email, u.status, ARRAY(SELECT role_id FROM user_roles ur WHERE ur.user_id = u.id"
            + " ORDER BY role_id) AS roles FROM users u ORDER BY u.id").execute()
          .map(users -> {
            Map<String, Permission> p = new LinkedHashMap<>();
            for (Row row : permissions) {
              p.put(row.getString("id"), new Permission(row.getString("id"), row.getString("description"), row.getBoolean("built_in")));
            }
            Map<String, Role> r = new LinkedHashMap<>();
            for (Row row : roles) {
              r.put(row.getString("id"), new Role(row.getString("id"), row.getString("description"), row.getBoolean("built_in"),
                List.of(row.getArrayOfStrings("permissions"))));
            }
            Map<UUID, User> u = new LinkedHashMap<>();
            for (Row row : users) {
              u.put(row.getUUID("id"), new User(row.getUUID("id"), row.getString("email"), row.getString("status"), List.of(row.getArrayOfStrings("roles"))));
            }
            return new Stored(p, r, u);
          })));
  }

  /** Shape problems as problem details ({@code field}: {@code identity.users[2].email}); empty when well formed. */
  public static JsonArray check(JsonObject identity) {
    JsonArray problems = new JsonArray();
    Set<String> permissionIds = new HashSet<>();
    JsonArray permissions = array(identity, "permissions", problems);
    for (int i = 0; i < permissions.size(); i++) {
      String where = "identity.permissions[" + i + "]";
      if (!(permissions.getValue(i) instanceof JsonObject p) || !(p.getValue("id") instanceof String id) || !Roles.PERMISSION.matcher(id).matches()) {
        problems.add(problem(where + ".id", "must be module.resource.action"));
      } else if (!permissionIds.add(id)) {
        problems.add(problem(where + ".id", "duplicate permission '" + id + "'"));
      }
    }
    Set<String> roleIds = new HashSet<>();
    JsonArray roles = array(identity, "roles", problems);
    for (int i = 0; i < roles.size(); i++) {
      String where = "identity.roles[" + i + "]";
      if (!(roles.getValue(i) instanceof JsonObject role) || !(role.getValue("id") instanceof String id) || !ROLE_ID.matcher(id).matches()) {
        problems.add(problem(where + ".id", "must match " + ROLE_ID.pattern()));
        continue;
      }
      if (!roleIds.add(id)) {
        problems.add(problem(where + ".id", "duplicate role '" + id + "'"));
      }
      Object granted = role.getValue("permissions", new JsonArray());
      if (!(granted instanceof JsonArray list) || list.stream().anyMatch(p -> !(p instanceof String s) || !Roles.PERMISSION.matcher(s).matches())) {
        problems.add(problem(where + ".permissions", "must be a list of module.resource.action"));
      }
    }
    JsonArray users = array(identity, "users", problems);
    Set<String> userIds = new HashSet<>();
    for (int i = 0; i < users.size(); i++) {
      String where = "identity.users[" + i + "]";
      if (!(users.getValue(i) instanceof JsonObject user)) {
        problems.add(problem(where, "must be an object"));
        continue;
      }
      try {
        if (!userIds.add(UUID.fromString(String.valueOf(user.getValue("id"))).toString())) {
          problems.add(problem(where + ".id", "duplicate user"));
        }
      } catch (IllegalArgumentException e) {
        problems.add(problem(where + ".id", "must be a UUID"));
      }
      if (!(user.getValue("email") instanceof String email) || !EMAIL.matcher(email).matches()) {
        problems.add(problem(where + ".email", "must be an email address"));
      }
      if (!STATUSES.contains(String.valueOf(user.getValue("status")))) {
        problems.add(problem(where + ".status", "must be one of active, disabled, deleted"));
      }
      Object userRoles = user.getValue("roles", new JsonArray());
      if (!(userRoles instanceof JsonArray list) || list.stream().anyMatch(r -> !(r instanceof String))) {
        problems.add(problem(where + ".roles", "must be a list of role ids"));
      }
    }
    return problems;
  }

  private static JsonObject problem(String field, String reason) {
    return ApiProblem.detail("body", field, "value", reason);
  }

  private static JsonArray array(JsonObject identity, String key, JsonArray problems) {
    Object value = identity.getValue(key, new JsonArray());
    if (value instanceof JsonArray a) {
      return a;
    }
    problems.add(problem("identity." + key, "must be a list"));
    return new JsonArray();
  }

  /**
   * Makes the stored identity the backup's (see the class comment) with {@code tx}, writing a {@code role.*} or
   * {@code user.*} event per change. The backup must have passed {@link #check}. Fails with a 400 {@link ApiProblem}
   * naming the field when the backup does not fit together (a role granting a permission the backup does not have,
   * a user holding an unknown role, no admin left); the caller's transaction must then roll back.
   *
   * @return the differences: {@code [{kind: permission|role|user, id, change: added|changed|removed, before, after}]}
   */
  public static Future<JsonArray> restore(SqlClient tx, JsonObject identity, String actor, String traceId) {
    return Users.lockAdmins(tx).compose(v -> read(tx)).compose(stored -> {
      Wanted wanted = wanted(identity);
      refuseInconsistent(stored, wanted, actor);
      JsonArray diff = new JsonArray();
      Future<Void> chain = Future.succeededFuture();
      // removals first: a removed user's email may be taken by a restored one
      for (Role role : stored.roles().values()) {
        if (!role.builtIn() && !wanted.roles().containsKey(role.id())) {
          diff.add(change("role", role.id(), "removed", role.toJson(), null));
          chain = chain.compose(v -> tx.preparedQuery("DELETE FROM roles WHERE id = $1").execute(Tuple.of(role.id())).mapEmpty())
            .compose(v -> event(tx, "role.deleted", role.id(), new JsonObject().put("id", role.id()), actor, traceId));
        }
      }
      for (Permission p : stored.permissions().values()) {
        if (!p.builtIn() && !wanted.permissions().containsKey(p.id())) {
          diff.add(change("permission", p.id(), "removed", p.toJson(), null));
          chain = chain.compose(v -> tx.preparedQuery("DELETE FROM permissions WHERE id = $1").execute(Tuple.of(p.id())).mapEmpty());
        }
      }
      for (User user : stored.users().values()) {
        if (!user.status().equals("deleted") && !wanted.users().containsKey(user.id())) {
          User after = new User(user.id(), user.email(), "deleted", user.roles());
          diff.add(change("user", user.id().toString(), "removed", user.toJson(), after.toJson()));
          chain = chain.compose(v -> Users.update(tx, user.id(), user.email(), "deleted"))
            .compose(v -> RefreshTokens.revokeUser(tx, user.id()))
            .compose(v -> tx.preparedQuery("UPDATE api_keys SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL")
              .execute(Tuple.of(user.id())).mapEmpty())
            .compose(v -> event(tx, "user.deleted", user.id().toString(), new JsonObject().put("id", user.id().toString()), actor, traceId));
        }
      }
      for (Permission p : wanted.permissions().values()) {
        Permission before = stored.permissions().get(p.id());
        if (before == null || !Objects.equals(before.description(), p.description())) {
          Permission after = new Permission(p.id(), p.description(), before != null && before.builtIn());
          diff.add(change("permission", p.id(), before == null ? "added" : "changed", before == null ? null : before.toJson(), after.toJson()));
          chain = chain.compose(v -> tx.preparedQuery("INSERT INTO permissions (id, description) VALUES ($1, $2)"
            + " ON CONFLICT (id) DO UPDATE SET description = EXCLUDED.description").execute(Tuple.of(p.id(), p.description())).mapEmpty());
        }
      }
      for (Role role : wanted.roles().values()) {
        Role before = stored.roles().get(role.id());
        List<String> granted = granted(role, stored);
        Role after = new Role(role.id(), role.description(), before != null && before.builtIn(), granted);
        if (before != null && Objects.equals(before.description(), role.description()) && before.permissions().equals(granted)) {
          continue;
        }
        diff.add(change("role", role.id(), before == null ? "added" : "changed", before == null ? null : before.toJson(), after.toJson()));
        chain = chain.compose(v -> tx.preparedQuery("INSERT INTO roles (id, description) VALUES ($1, $2)"
              + " ON CONFLICT (id) DO UPDATE SET description = EXCLUDED.description, version = roles.version + 1")
            .execute(Tuple.of(role.id(), role.description())))
          .compose(v -> tx.preparedQuery("DELETE FROM role_permissions WHERE role_id = $1").execute(Tuple.of(role.id())))
          .compose(v -> tx.preparedQuery("INSERT INTO role_permissions (role_id, permission_id) SELECT $1, unnest($2::text[])")
            .execute(Tuple.of(role.id(), (Object) granted.toArray(String[]::new))))
          .compose(v -> tx.preparedQuery("UPDATE users SET authz_changed_at = now() WHERE id IN (SELECT user_id FROM user_roles WHERE role_id = $1)")
            .execute(Tuple.of(role.id())))
          .compose(v -> event(tx, before == null ? "role.created" : "role.updated", role.id(), after.toJson(), actor, traceId));
      }
      for (User user : wanted.users().values()) {
        User before = stored.users().get(user.id());
        if (user.equals(before)) {
          continue;
        }
        diff.add(change("user", user.id().toString(), before == null ? "added" : "changed", before == null ? null : before.toJson(),
          before == null ? user.toJson().put("passwordResetNeeded", true) : user.toJson()));
        String[] roles = user.roles().toArray(String[]::new);
        chain = chain.compose(v -> before == null
            ? tx.preparedQuery("INSERT INTO users (id, email, status) VALUES ($1, $2, $3)").execute(Tuple.of(user.id(), user.email(), user.status())).mapEmpty()
            : Users.update(tx, user.id(), user.email(), user.status()))
          .compose(v -> tx.preparedQuery("DELETE FROM user_roles WHERE user_id = $1").execute(Tuple.of(user.id())))
          .compose(v -> tx.preparedQuery("INSERT INTO user_roles (user_id, role_id) SELECT $1, unnest($2::text[])").execute(Tuple.of(user.id(), (Object) roles)))
          .compose(v -> tx.preparedQuery("UPDATE users SET authz_changed_at = now() WHERE id = $1").execute(Tuple.of(user.id())))
          .compose(v -> event(tx, before == null ? "user.created" : "user.updated", user.id().toString(), user.toJson(), actor, traceId));
      }
      return chain.map(diff);
    }).recover(err -> Future.failedFuture(err instanceof PgException pg && pg.getSqlState() != null
      && (pg.getSqlState().startsWith("23") || pg.getSqlState().startsWith("22"))
      ? ApiProblem.invalid("body", "identity", "the database refused the restored identity: " + pg.getErrorMessage()
        + (pg.getDetail() == null ? "" : " (" + pg.getDetail() + ")"))
      : err));
  }

  /** What the backup lists, in its order. */
  private record Wanted(Map<String, Permission> permissions, Map<String, Role> roles, Map<UUID, User> users, Map<String, String> fields) {
  }

  private static Wanted wanted(JsonObject identity) {
    Map<String, String> fields = new LinkedHashMap<>();
    Map<String, Permission> permissions = new LinkedHashMap<>();
    identity.getJsonArray("permissions", new JsonArray()).forEach(p -> {
      JsonObject o = (JsonObject) p;
      permissions.put(o.getString("id"), new Permission(o.getString("id"), o.getString("description"), false));
    });
    Map<String, Role> roles = new LinkedHashMap<>();
    JsonArray roleList = identity.getJsonArray("roles", new JsonArray());
    for (int i = 0; i < roleList.size(); i++) {
      JsonObject o = roleList.getJsonObject(i);
      List<String> granted = o.getJsonArray("permissions", new JsonArray()).stream().map(String::valueOf).distinct().sorted().toList();
      roles.put(o.getString("id"), new Role(o.getString("id"), o.getString("description"), false, granted));
      fields.put("role:" + o.getString("id"), "identity.roles[" + i + "]");
    }
    Map<UUID, User> users = new LinkedHashMap<>();
    JsonArray userList = identity.getJsonArray("users", new JsonArray());
    for (int i = 0; i < userList.size(); i++) {
      JsonObject o = userList.getJsonObject(i);
      UUID id = UUID.fromString(o.getString("id"));
      List<String> roleIds = o.getJsonArray("roles", new JsonArray()).stream().map(String::valueOf).distinct().sorted().toList();
      users.put(id, new User(id, o.getString("email"), o.getString("status"), roleIds));
      fields.put("user:" + id, "identity.users[" + i + "]");
    }
    return new Wanted(permissions, roles, users, fields);
  }

  /** A role's permissions after the restore: the backup's, and for the admin role every built-in one as well. */
  private static List<String> granted(Role role, Stored stored) {
    Set<String> out = new TreeSet<>(role.permissions());
    if (role.id().equals("admin")) {
      stored.permissions().values().stream().filter(Permission::builtIn).forEach(p -> out.add(p.id()));
    }
    return List.copyOf(out);
  }

  /** 400 naming each reference the restored identity would not hold, and restores that would lock administrators out. */
  private static void refuseInconsistent(Stored stored, Wanted wanted, String actor) {
    Set<String> permissions = new HashSet<>(wanted.permissions().keySet());
    stored.permissions().values().stream().filter(Permission::builtIn).forEach(p -> permissions.add(p.id()));
    Set<String> roles = new HashSet<>(wanted.roles().keySet());
    stored.roles().values().stream().filter(Role::builtIn).forEach(r -> roles.add(r.id()));
    JsonArray problems = new JsonArray();
    for (Role role : wanted.roles().values()) {
      for (String p : role.permissions()) {
        if (!permissions.contains(p)) {
          problems.add(problem(wanted.fields().get("role:" + role.id()) + ".permissions",
            "grants permission '" + p + "', which is neither in identity.permissions nor built in"));
        }
      }
    }
    for (User user : wanted.users().values()) {
      for (String r : user.roles()) {
        if (!roles.contains(r)) {
          problems.add(problem(wanted.fields().get("user:" + user.id()) + ".roles", "names role '" + r + "', which is neither in identity.roles nor built in"));
        }
      }
    }
    boolean anyAdmin = wanted.users().values().stream().anyMatch(u -> u.status().equals("active") && u.roles().contains("admin"));
    if (!anyAdmin && !stored.users().isEmpty()) {
      problems.add(problem("identity.users", "no active user would hold the admin role: the restore would leave Junction without an administrator"));
    }
    UUID runner = uuidOrNull(actor);
    if (runner != null && stored.users().containsKey(runner)) {
      User kept = wanted.users().get(runner);
      if (kept == null || !kept.status().equals("active")) {
        problems.add(problem("identity.users", "the user running the restore (" + runner + ") would be " + (kept == null ? "deleted" : kept.status())));
      }
    }
    if (!problems.isEmpty()) {
      JsonObject first = problems.getJsonObject(0);
      throw ApiProblem.invalid("the backup cannot be restored: " + first.getString("field") + ": " + first.getString("reason")
        + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""), problems);
    }
  }

  private static UUID uuidOrNull(String value) {
    try {
      return value == null ? null : UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static JsonObject change(String kind, String id, String change, JsonObject before, JsonObject after) {
    return new JsonObject().put("kind", kind).put("id", id).put("change", change).put("before", before).put("after", after);
  }

  private static Future<Void> event(SqlClient tx, String type, String subject, JsonObject data, String actor, String traceId) {
    return Outbox.append(tx, EventEnvelope.of(type, subject, data, traceId, actor));
  }
}
