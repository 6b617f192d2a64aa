package io.junction.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Roles and the permissions they grant. Permissions are {@code module.resource.action}. */
final class Roles {
  static final Pattern PERMISSION = Pattern.compile("^[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*$");
  private static final String COLUMNS = "r.id, r.description, r.built_in, r.created_at, r.version, "
    + "ARRAY(SELECT permission_id FROM role_permissions p WHERE p.role_id = r.id ORDER BY permission_id) AS permissions";

  record Role(String id, String description, boolean builtIn, OffsetDateTime createdAt, long version, List<String> permissions) {
    JsonObject toJson() {
      return new JsonObject().put("id", id).put("description", description).put("builtIn", builtIn)
        .put("permissions", new JsonArray(permissions)).put("createdAt", Users.iso(createdAt)).put("version", version);
    }
  }

  private Roles() {
  }

  private static Role read(Row row) {
    String[] permissions = row.getArrayOfStrings("permissions");
    return new Role(row.getString("id"), row.getString("description"), row.getBoolean("built_in"),
      row.getOffsetDateTime("created_at"), row.getLong("version"), permissions == null ? List.of() : List.of(permissions));
  }

  static Future<Role> byId(SqlClient sql, String id, boolean lock) {
    return sql.preparedQuery("SELECT " + COLUMNS + " FROM roles r WHERE r.id = $1" + (lock ? " FOR UPDATE" : ""))
      .execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? null : read(rows.iterator().next()));
  }

  static Future<List<Role>> page(SqlClient sql, String after, int limit) {
    return sql.preparedQuery("SELECT " + COLUMNS + " FROM roles r WHERE $1::text IS NULL OR r.id > $1 ORDER BY r.id LIMIT $2")
      .execute(Tuple.of(after, limit + 1)).map(rows -> {
        List<Role> out = new ArrayList<>();
        rows.forEach(row -> out.add(read(row)));
        return out;
      });
  }

  static Future<Void> insert(SqlClient sql, String id, String description) {
    return sql.preparedQuery("INSERT INTO roles (id, description) VALUES ($1, $2)").execute(Tuple.of(id, description)).mapEmpty();
  }

  static Future<Void> update(SqlClient sql, String id, String description) {
    return sql.preparedQuery("UPDATE roles SET description = $2, version = version + 1 WHERE id = $1")
      .execute(Tuple.of(id, description)).mapEmpty();
  }

  static Future<Void> bump(SqlClient sql, String id) {
    return sql.preparedQuery("UPDATE roles SET version = version + 1 WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
  }

  static Future<Void> delete(SqlClient sql, String id) {
    return sql.preparedQuery("DELETE FROM roles WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
  }

  /** Grants permissions, creating permission names that are new (user routes define their own). */
  static Future<Void> grant(SqlClient sql, String role, List<String> permissions) {
    String[] ids = permissions.toArray(String[]::new);
    return sql.preparedQuery("INSERT INTO permissions (id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING").execute(Tuple.of((Object) ids))
      .compose(v -> sql.preparedQuery("INSERT INTO role_permissions (role_id, permission_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(role, (Object) ids)))
      .mapEmpty();
  }

  static Future<Void> revoke(SqlClient sql, String role, List<String> permissions) {
    return sql.preparedQuery("DELETE FROM role_permissions WHERE role_id = $1 AND permission_id = ANY($2)")
      .execute(Tuple.of(role, (Object) permissions.toArray(String[]::new))).mapEmpty();
  }

  static Future<Void> revokeAll(SqlClient sql, String role) {
    return sql.preparedQuery("DELETE FROM role_permissions WHERE role_id = $1").execute(Tuple.of(role)).mapEmpty();
  }

  /** The permission catalogue, for {@code GET /api/v1/permissions}. */
  static Future<List<JsonObject>> permissionsPage(SqlClient sql, String after, int limit) {
    return sql.preparedQuery("SELECT id, description FROM permissions WHERE $1::text IS NULL OR id > $1 ORDER BY id LIMIT $2")
      .execute(Tuple.of(after, limit + 1)).map(rows -> {
        List<JsonObject> out = new ArrayList<>();
        rows.forEach(row -> out.add(new JsonObject().put("id", row.getString(0)).put("description", row.getString(1))));
        return out;
      });
  }

  /** Permissions granted by these roles now. */
  static Future<List<String>> permissionsOf(SqlClient sql, List<String> roles) {
    return sql.preparedQuery("SELECT DISTINCT permission_id FROM role_permissions WHERE role_id = ANY($1) ORDER BY permission_id")
      .execute(Tuple.of((Object) roles.toArray(String[]::new))).map(rows -> {
        List<String> out = new ArrayList<>();
        rows.forEach(row -> out.add(row.getString(0)));
        return out;
      });
  }
}
