package io.junction.routes;

import io.junction.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Routes module: managed route definitions in Postgres. {@code junction.routes.list} answers every stored
 * route; {@code junction.routes.get} ({id}) one route, or fails 404.
 */
public class RoutesVerticle extends VerticleBase {
  public static final String LIST_ADDRESS = "junction.routes.list";
  public static final String GET_ADDRESS = "junction.routes.get";
  private static final String COLUMNS = "id, definition, version, source, updated_at, updated_by";

  private final Storage storage;

  public RoutesVerticle(Storage storage) {
    this.storage = storage;
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().<JsonObject>consumer(LIST_ADDRESS, msg -> storage.pool()
      .query("SELECT " + COLUMNS + " FROM routes ORDER BY id").execute()
      .onSuccess(rows -> {
        JsonArray items = new JsonArray();
        rows.forEach(row -> items.add(toJson(row)));
        msg.reply(new JsonObject().put("items", items));
      })
      .onFailure(err -> msg.fail(503, "route store unavailable: " + err.getMessage())));
    vertx.eventBus().<JsonObject>consumer(GET_ADDRESS, msg -> {
      Object value = msg.body() == null ? null : msg.body().getValue("id");
      if (!(value instanceof String id) || id.isBlank()) {
        msg.fail(400, "id is required (a non-empty string)");
        return;
      }
      storage.pool().preparedQuery("SELECT " + COLUMNS + " FROM routes WHERE id = $1").execute(Tuple.of(id))
        .onSuccess(rows -> {
          if (rows.size() == 0) {
            msg.fail(404, "no route " + id);
          } else {
            msg.reply(toJson(rows.iterator().next()));
          }
        })
        .onFailure(err -> msg.fail(503, "route store unavailable: " + err.getMessage()));
    });
    return Future.succeededFuture();
  }

  private static JsonObject toJson(Row row) {
    return new JsonObject().put("id", row.getString("id")).put("definition", row.getJsonObject("definition"))
      .put("version", row.getLong("version")).put("source", row.getString("source"))
      .put("updatedAt", row.getOffsetDateTime("updated_at").toString()).put("updatedBy", row.getString("updated_by"));
  }
}
