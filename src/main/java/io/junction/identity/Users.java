package io.junction.identity;

import io.junction.http.ApiProblem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The users table and each user's roles. Every method takes the client so callers choose the transaction. */
final class Users {
  static final String COLUMNS = "u.id, u.email, u.status, u.password_hash, u.created_at, u.updated_at, u.version, "
    + "ARRAY(SELECT role_id FROM user_roles r WHERE r.user_id = u.id ORDER BY role_id) AS roles";

  record User(UUID id, String email, String status, String passwordHash, OffsetDateTime createdAt, OffsetDateTime updatedAt,
              long version, List<String> roles) {
    JsonObject toJson() {
      return new JsonObject().put("id", id.toString()).put("email", email).put("status", status)
        .put("roles", new JsonArray(roles)).put("createdAt", iso(createdAt)).put("updatedAt", iso(updatedAt)).put("version", version);
    }

    boolean active() {
      return status.equals("active");
    }
  }

  private Users() {
  }

  static String iso(OffsetDateTime t) {
    return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.toInstant().truncatedTo(ChronoUnit.MILLIS));
  }

  static User read(Row row) {
    String[] roles = row.getArrayOfStrings("roles");
    return new User(row.getUUID("id"), row.getString("email"), row.getString("status"), row.getString("password_hash"),
      row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"), row.getLong("version"),
      roles == null ? List.of() : List.of(roles));
  }

  private static User first(RowSet<Row> rows) {
    return rows.size() == 0 ? null : read(rows.iterator().next());
  }

  /** A user that can log in or be managed (not deleted), by email, case-insensitively; null when none. */
  static Future<User> byEmail(SqlClient sql, String email) {
    return sql.preparedQuery("SELECT " + COLUMNS + " FROM users u WHERE lower(u.email) = lower($1) AND u.status <> 'deleted'")
      .execute(Tuple.of(email)).map(Users::first);
  }

  /** The user by id, deleted ones included (they answer 404 at the API); null when none. */
  static Future<User> byId(SqlClient sql, UUID id, boolean lock) {
    return sql.preparedQuery("SELECT " + COLUMNS + " FROM users u WHERE u.id = $1" + (lock ? " FOR UPDATE" : ""))
      .execute(Tuple.of(id)).map(Users::first);
  }

  static Future<User> insert(SqlClient sql, UUID id, String email, String hash, String status) {
    return sql.preparedQuery("INSERT INTO users (id, email, password_hash, status) VALUES ($1, $2, $3, $4)")
      .execute(Tuple.of(id, email, hash, status))
      .compose(v -> byId(sql, id, false));
  }

  /** A page of users ordered by creation, after the cursor's position. */
  static Future<List<User>> page(SqlClient sql, String emailContains, String status, String after, int limit) {
    List<Object> args = new ArrayList<>();
    StringBuilder where = new StringBuilder();
    if (status != null) {
      args.add(status);
      where.append(" AND u.status = $").append(args.size());
    } else {
      where.append(" AND u.status <> 'deleted'");
    }
    if (emailContains != null && !emailContains.isEmpty()) {
      args.add("%" + emailContains.toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
      where.append(" AND lower(u.email) LIKE $").append(args.size());
    }
    if (after != null) {
      String[] key = after.split("\\|", 2);
      if (key.length != 2) {
        throw ApiProblem.invalid("query", "cursor", "is not a cursor returned by this API");
      }
      try {
        args.add(OffsetDateTime.parse(key[0]));
        args.add(UUID.fromString(key[1]));
      } catch (RuntimeException e) {
        throw ApiProblem.invalid("query", "cursor", "is not a cursor returned by this API");
      }
      where.append(" AND (u.created_at, u.id) > ($").append(args.size() - 1).append(", $").append(args.size()).append(")");
    }
    args.add(limit + 1);
    String query = "SELECT " + COLUMNS + " FROM users u WHERE true" + where + " ORDER BY u.created_at, u.id LIMIT $" + args.size();
    return sql.preparedQuery(query).execute(Tuple.wrap(args)).map(rows -> {
      List<User> out = new ArrayList<>();
      rows.forEach(row -> out.add(read(row)));
      return out;
    });
  }

  static String cursorOf(User user) {
    return PageCursor.encode(user.createdAt().toString() + "|" + user.id());
  }

  static Future<Void> update(SqlClient sql, UUID id, String email, String status) {
    return sql.preparedQuery("UPDATE users SET email = $2, status = $3, updated_at = now(), version = version + 1, "
        + "authz_changed_at = CASE WHEN status <> $3 THEN now() ELSE authz_changed_at END WHERE id = $1")
      .execute(Tuple.of(id, email, status)).mapEmpty();
  }

  static Future<Void> setPassword(SqlClient sql, UUID id, String hash) {
    return sql.preparedQuery("UPDATE users SET password_hash = $2, updated_at = now(), version = version + 1 WHERE id = $1")
      .execute(Tuple.of(id, hash)).mapEmpty();
  }

  /** Adds roles; unknown role ids are a 400 naming them. */
  static Future<Void> addRoles(SqlClient sql, UUID id, List<String> roles) {
    return sql.preparedQuery("SELECT array_agg(r) FROM unnest($1::text[]) r WHERE r NOT IN (SELECT id FROM roles)")
      .execute(Tuple.of((Object) roles.toArray(String[]::new)))
      .compose(rows -> {
        String[] unknown = rows.iterator().next().getArrayOfStrings(0);
        if (unknown != null && unknown.length > 0) {
          return Future.failedFuture(ApiProblem.invalid("roles", "names unknown role(s): " + String.join(", ", unknown)));
        }
        return sql.preparedQuery("INSERT INTO user_roles (user_id, role_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING")
          .execute(Tuple.of(id, (Object) roles.toArray(String[]::new)))
          .compose(v -> touchAuthz(sql, id));
      });
  }

  static Future<Void> removeRoles(SqlClient sql, UUID id, List<String> roles) {
    return sql.preparedQuery("DELETE FROM user_roles WHERE user_id = $1 AND role_id = ANY($2)")
      .execute(Tuple.of(id, (Object) roles.toArray(String[]::new)))
      .compose(v -> touchAuthz(sql, id));
  }

  private static Future<Void> touchAuthz(SqlClient sql, UUID id) {
    return sql.preparedQuery("UPDATE users SET authz_changed_at = now(), updated_at = now(), version = version + 1 WHERE id = $1")
      .execute(Tuple.of(id)).mapEmpty();
  }

  /** How many active users other than {@code except} hold the admin role: the last admin cannot go. */
  static Future<Integer> otherActiveAdmins(SqlClient sql, UUID except) {
    return sql.preparedQuery("SELECT count(*) FROM users u JOIN user_roles r ON r.user_id = u.id "
        + "WHERE r.role_id = 'admin' AND u.status = 'active' AND u.id <> $1")
      .execute(Tuple.of(except)).map(rows -> rows.iterator().next().getInteger(0));
  }

  /** Serialises changes that could remove the last admin, across nodes. */
  static Future<Void> lockAdmins(SqlClient sql) {
    return sql.query("SELECT pg_advisory_xact_lock(7311)").execute().mapEmpty();
  }

  static Future<Boolean> any(SqlClient sql) {
    return sql.query("SELECT EXISTS (SELECT 1 FROM users)").execute().map(rows -> rows.iterator().next().getBoolean(0));
  }
}
