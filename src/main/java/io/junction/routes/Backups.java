package io.junction.routes;

import io.junction.http.ApiProblem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Backups: what the stored tables and the identity module's roles, permissions and users (no secrets) are now,
 * as one JSON document with a SHA-256 checksum of its canonical form (keys sorted, no whitespace), so a file that
 * was changed or cut short is refused on restore.
 */
final class Backups {
  static final String FORMAT = "junction-backup/1";
  static final String IDENTITY_EXPORT = "junction.identity.export";
  static final String IDENTITY_IMPORT = "junction.identity.import";

  private final Vertx vertx;
  private final Pool pool;

  Backups(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /** The backup document, checksum included. */
  Future<JsonObject> take() {
    return pool.withTransaction(tx -> Store.all(tx, Kind.ROUTE).compose(routes -> Store.all(tx, Kind.SERVICE)
        .compose(services -> Store.head(tx).map(head -> {
          JsonArray routeList = new JsonArray();
          routes.values().forEach(item -> routeList.add(item.definition()));
          JsonObject serviceMap = new JsonObject();
          services.values().forEach(item -> serviceMap.put(item.id(), item.definition()));
          return new JsonObject().put("format", FORMAT).put("createdAt", Instant.now().toString()).put("revision", head)
            .put("routes", routeList).put("services", serviceMap);
        }))))
      .compose(backup -> identity().map(id -> {
        if (id != null) {
          backup.put("identity", id);
        }
        return backup.put("checksum", checksum(backup));
      }));
  }

  /** Roles, permissions and users from the identity module; null when it is not deployed. */
  private Future<JsonObject> identity() {
    return vertx.eventBus().<JsonObject>request(IDENTITY_EXPORT, new JsonObject(), new DeliveryOptions().setSendTimeout(10_000))
      .map(reply -> reply.body())
      .recover(err -> err instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS
        ? Future.succeededFuture(null)
        : Future.failedFuture(ApiProblem.unavailable("the identity module did not export: " + err.getMessage())));
  }

  /** {@code sha256:<hex>} of the document without its checksum, keys sorted at every level. */
  static String checksum(JsonObject backup) {
    JsonObject copy = backup.copy();
    copy.remove("checksum");
    StringBuilder out = new StringBuilder();
    canonical(copy, out);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(out.toString().getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void canonical(Object value, StringBuilder out) {
    if (value instanceof JsonObject o) {
      canonical(o.getMap(), out);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        out.append(io.vertx.core.json.Json.encode(String.valueOf(e.getKey()))).append(':');
        canonical(e.getValue(), out);
      }
      out.append('}');
    } else if (value instanceof JsonArray a) {
      canonical(a.getList(), out);
    } else if (value instanceof java.util.List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        canonical(list.get(i), out);
      }
      out.append(']');
    } else if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && !Double.isInfinite(n.doubleValue())
      && Math.abs(n.doubleValue()) < 1e15) {
      out.append(n.longValue()); // 2 and 2.0 are the same number in JSON, and in YAML round trips
    } else {
      out.append(io.vertx.core.json.Json.encode(value));
    }
  }
}
