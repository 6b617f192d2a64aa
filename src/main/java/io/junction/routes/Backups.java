package io.junction.routes;

import io.junction.identity.IdentityBackup;
import io.vertx.core.Future;
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
 * as one JSON document (read in one transaction) with a SHA-256 checksum of its canonical form (keys sorted, no whitespace), so a file that
 * was changed or cut short is refused on restore.
 */
final class Backups {
  static final String FORMAT = "junction-backup/1";

  private final Pool pool;

  Backups(Pool pool) {
    this.pool = pool;
  }

  /** The backup document, checksum included: routes, services and identity read in one transaction (one consistent state). */
  Future<JsonObject> take() {
    return pool.withTransaction(tx -> Store.all(tx, Kind.ROUTE).compose(routes -> Store.all(tx, Kind.SERVICE)
        .compose(services -> Store.head(tx).compose(head -> IdentityBackup.export(tx).map(identity -> {
          JsonArray routeList = new JsonArray();
          routes.values().forEach(item -> routeList.add(item.definition()));
          JsonObject serviceMap = new JsonObject();
          services.values().forEach(item -> serviceMap.put(item.id(), item.definition()));
          JsonObject backup = new JsonObject().put("format", FORMAT).put("createdAt", Instant.now().toString()).put("revision", head)
            .put("routes", routeList).put("services", serviceMap).put("identity", identity);
          return backup.put("checksum", checksum(backup));
        })))));
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
