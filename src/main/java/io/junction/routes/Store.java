package io.junction.routes;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of the routes module: the {@code routes}/{@code services} tables and their revision tables. Every
 * write method takes the transaction's connection; the caller writes the revision and the event with it.
 */
final class Store {
  /** Writers of routes and services take this transaction lock, so validation sees the table it will change. */
  private static final long WRITE_LOCK = 0x4a756e6374696f6eL; // "Junction"

  /** One stored definition. {@code definition} includes the id. */
  record Item(String id, JsonObject definition, long version, String source, OffsetDateTime updatedAt, String updatedBy) {
    JsonObject toJson() {
      return new JsonObject().put("id", id).put("version", version).put("source", source)
        .put("updatedAt", iso(updatedAt)).put("updatedBy", updatedBy).put("definition", definition);
    }
  }

  /** One change: what the definition became (null when deleted). */
  record Revision(long revision, Kind kind, String id, long version, JsonObject definition, String operation, String actor, OffsetDateTime at) {
    JsonObject toJson() {
      return new JsonObject().put("revision", revision).put("kind", kind.noun).put("id", id).put("version", version)
        .put("operation", operation).put("actor", actor).put("at", iso(at)).put("definition", definition);
    }
  }

  /** Filters of a list: id prefix, and (routes) a predicate or filter name the definition uses. */
  record Filter(String idPrefix, String predicate, String filter) {
  }

  private static final String COLUMNS = "id, definition, version, source, updated_at, updated_by";

  private Store() {
  }

  static String iso(OffsetDateTime t) {
    return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).toString();
  }

  static Future<Void> lock(SqlClient tx) {
    return tx.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(WRITE_LOCK)).mapEmpty();
  }

  private static Item item(Row row) {
    return new Item(row.getString("id"), (JsonObject) row.getValue("definition"), row.getLong("version"), row.getString("source"),
      row.getOffsetDateTime("updated_at"), row.getString("updated_by"));
  }

  static Future<Item> get(SqlClient sql, Kind kind, String id, boolean lock) {
    return sql.preparedQuery("SELECT " + COLUMNS + " FROM " + kind.plural + " WHERE id = $1" + (lock ? " FOR UPDATE" : ""))
      .execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? null : item(rows.iterator().next()));
  }

  /** Every stored definition of a kind, by id. */
  static Future<Map<String, Item>> all(SqlClient sql, Kind kind) {
    return sql.query("SELECT " + COLUMNS + " FROM " + kind.plural + " ORDER BY id").execute().map(rows -> {
      Map<String, Item> out = new LinkedHashMap<>();
      rows.forEach(row -> out.put(row.getString("id"), item(row)));
      return out;
    });
  }

  /** Up to limit + 1 items after the cursor id, matching the filter (the extra one says there is a next page). */
  static Future<List<Item>> page(SqlClient sql, Kind kind, Filter filter, String after, int limit) {
    StringBuilder where = new StringBuilder("WHERE ($1::text IS NULL OR id > $1)");
    List<Object> args = new ArrayList<>();
    args.add(after);
    if (filter.idPrefix() != null) {
      args.add(filter.idPrefix().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
      where.append(" AND id LIKE $").append(args.size());
    }
    if (filter.predicate() != null) {
      args.add(new JsonObject().put("predicates", new JsonArray().add(new JsonObject().put("name", filter.predicate()))));
      where.append(" AND definition @> $").append(args.size()).append("::jsonb");
    }
    if (filter.filter() != null) {
      args.add(new JsonObject().put("filters", new JsonArray().add(new JsonObject().put("name", filter.filter()))));
      where.append(" AND definition @> $").append(args.size()).append("::jsonb");
    }
    args.add(limit + 1);
    return sql.preparedQuery("SELECT " + COLUMNS + " FROM " + kind.plural + " " + where + " ORDER BY id LIMIT $" + args.size())
      .execute(Tuple.from(args)).map(rows -> {
        List<Item> out = new ArrayList<>();
        rows.forEach(row -> out.add(item(row)));
        return out;
      });
  }

  /**
   * Inserts a definition. Its version continues after any earlier life of the same id (so an ETag of a deleted
   * definition never matches its successor).
   */
  static Future<Item> insert(SqlClient tx, Kind kind, String id, JsonObject definition, String actor) {
    return tx.preparedQuery("INSERT INTO " + kind.plural + " (id, definition, version, source, updated_by) VALUES ($1, $2::jsonb, "
        + "COALESCE((SELECT max(version) FROM " + kind.revisions + " WHERE " + kind.idColumn + " = $1), 0) + 1, 'api', $3) RETURNING " + COLUMNS)
      .execute(Tuple.of(id, definition, actor)).map(rows -> item(rows.iterator().next()));
  }

  static Future<Item> update(SqlClient tx, Kind kind, String id, JsonObject definition, String actor) {
    return tx.preparedQuery("UPDATE " + kind.plural + " SET definition = $2::jsonb, version = version + 1, updated_at = now(), updated_by = $3"
        + " WHERE id = $1 RETURNING " + COLUMNS)
      .execute(Tuple.of(id, definition, actor)).map(rows -> item(rows.iterator().next()));
  }

  static Future<Void> delete(SqlClient tx, Kind kind, String id) {
    return tx.preparedQuery("DELETE FROM " + kind.plural + " WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
  }

  /** Records a change; returns its revision number. */
  static Future<Long> revision(SqlClient tx, Kind kind, String id, long version, JsonObject definition, String operation, String actor) {
    return tx.preparedQuery("INSERT INTO " + kind.revisions + " (" + kind.idColumn + ", version, definition, operation, actor)"
        + " VALUES ($1, $2, $3::jsonb, $4, $5) RETURNING revision")
      .execute(Tuple.of(id, version, definition, operation, actor)).map(rows -> rows.iterator().next().getLong(0));
  }

  private static String revisionsOf(Kind kind) {
    return "SELECT revision, '" + kind.noun + "' AS kind, " + kind.idColumn + " AS id, version, definition, operation, actor, at FROM " + kind.revisions;
  }

  private static Revision revision(Row row) {
    return new Revision(row.getLong("revision"), "route".equals(row.getString("kind")) ? Kind.ROUTE : Kind.SERVICE, row.getString("id"),
      row.getLong("version"), (JsonObject) row.getValue("definition"), row.getString("operation"), row.getString("actor"), row.getOffsetDateTime("at"));
  }

  private static List<Revision> revisions(io.vertx.sqlclient.RowSet<Row> rows) {
    List<Revision> out = new ArrayList<>();
    rows.forEach(row -> out.add(revision(row)));
    return out;
  }

  /** One definition's history, newest first, before the cursor revision. */
  static Future<List<Revision>> history(SqlClient sql, Kind kind, String id, Long before, int limit) {
    return sql.preparedQuery(revisionsOf(kind) + " WHERE " + kind.idColumn + " = $1 AND ($2::bigint IS NULL OR revision < $2)"
        + " ORDER BY revision DESC LIMIT $3")
      .execute(Tuple.of(id, before, limit + 1)).map(Store::revisions);
  }

  /** Every change of both kinds after a revision number or at/after a time, oldest first. */
  static Future<List<Revision>> since(SqlClient sql, Long afterRevision, OffsetDateTime from, int limit) {
    String where = " WHERE ($1::bigint IS NULL OR revision > $1) AND ($2::timestamptz IS NULL OR at >= $2)";
    return sql.preparedQuery("SELECT * FROM (" + revisionsOf(Kind.ROUTE) + where + " UNION ALL " + revisionsOf(Kind.SERVICE) + where
        + ") r ORDER BY revision LIMIT $3")
      .execute(Tuple.of(afterRevision, from, limit + 1)).map(Store::revisions);
  }

  /** The newest revision number of both tables (0 when none). */
  static Future<Long> head(SqlClient sql) {
    return sql.query("SELECT GREATEST((SELECT COALESCE(max(revision), 0) FROM route_revisions), (SELECT COALESCE(max(revision), 0) FROM service_revisions))")
      .execute().map(rows -> rows.iterator().next().getLong(0));
  }

  /** The revision number in force at a time (the newest at or before it; 0 when none). */
  static Future<Long> revisionAt(SqlClient sql, OffsetDateTime at) {
    return sql.preparedQuery("SELECT GREATEST((SELECT COALESCE(max(revision), 0) FROM route_revisions WHERE at <= $1),"
        + " (SELECT COALESCE(max(revision), 0) FROM service_revisions WHERE at <= $1))")
      .execute(Tuple.of(at)).map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * A kind's table as it was right after a revision: each id's newest revision at or before it, when that
   * revision did not delete it. Null id = every id.
   */
  static Future<Map<String, JsonObject>> asOf(SqlClient sql, Kind kind, long revision, String id) {
    return sql.preparedQuery("SELECT DISTINCT ON (" + kind.idColumn + ") " + kind.idColumn + " AS id, definition FROM " + kind.revisions
        + " WHERE revision <= $1 AND ($2::text IS NULL OR " + kind.idColumn + " = $2) ORDER BY " + kind.idColumn + ", revision DESC")
      .execute(Tuple.of(revision, id)).map(rows -> {
        Map<String, JsonObject> out = new LinkedHashMap<>();
        rows.forEach(row -> {
          Object definition = row.getValue("definition");
          if (definition instanceof JsonObject d) {
            out.put(row.getString("id"), d);
          }
        });
        return out;
      });
  }
}
