package io.junction.identity;

import io.junction.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Identity module: {@code junction.identity.permissions} answers the permissions granted by a set of roles
 * ({roles: [..]} → {permissions: [..]}), from the roles and role_permissions tables.
 */
public class IdentityVerticle extends VerticleBase {
  public static final String PERMISSIONS_ADDRESS = "junction.identity.permissions";

  private final Storage storage;

  public IdentityVerticle(Storage storage) {
    this.storage = storage;
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().<JsonObject>consumer(PERMISSIONS_ADDRESS, msg -> {
      Object value = msg.body() == null ? null : msg.body().getValue("roles");
      if (!(value instanceof JsonArray roles) || roles.stream().anyMatch(r -> !(r instanceof String))) {
        msg.fail(400, "roles must be an array of role ids");
        return;
      }
      String[] ids = roles.stream().map(String.class::cast).toArray(String[]::new);
      storage.pool().preparedQuery("SELECT DISTINCT permission_id FROM role_permissions WHERE role_id = ANY($1) ORDER BY permission_id")
        .execute(Tuple.of(ids))
        .onSuccess(rows -> {
          JsonArray permissions = new JsonArray();
          for (Row row : rows) {
            permissions.add(row.getString(0));
          }
          msg.reply(new JsonObject().put("permissions", permissions));
        })
        .onFailure(err -> msg.fail(503, "identity store unavailable: " + err.getMessage()));
    });
    return Future.succeededFuture();
  }
}
