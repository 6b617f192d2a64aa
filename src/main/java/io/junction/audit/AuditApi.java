package io.junction.audit;

import io.junction.http.AdminApi;
import io.junction.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Function;

/** {@code /api/v1/audit}: query (newest first, cursor pages), export (streamed) and chain verification. */
final class AuditApi implements AdminApi {
  private static final Logger LOG = LoggerFactory.getLogger(AuditApi.class);
  static final int MAX_PAGE = 1000;

  private final Pool pool;
  private final ChainVerifier verifier;
  private final AuditExport export;

  AuditApi(Pool pool, ChainVerifier verifier) {
    this.pool = pool;
    this.verifier = verifier;
    this.export = new AuditExport(pool);
  }

  @Override
  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
      "listAudit", reply(this::list),
      "exportAudit", ctx -> {
        try {
          export.handle(ctx);
        } catch (BadQuery e) {
          ApiError.send(ctx.response(), 400, "invalid_request", e.getMessage(), e.details);
        }
      },
      "verifyAudit", reply(this::verify));
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    MultiMap q = ctx.queryParams();
    int limit = intParam(q, "limit", 50, 1, MAX_PAGE);
    AuditQuery query = AuditQuery.from(q).before(q.get("cursor"));
    String sql = "SELECT " + AuditEntry.COLUMNS + " FROM audit_log" + query.where() + " ORDER BY seq DESC LIMIT " + (limit + 1);
    return pool.preparedQuery(sql).execute(query.params()).map(rows -> {
      JsonArray items = new JsonArray();
      long lastSeq = 0;
      boolean more = false;
      for (Row row : rows) {
        if (items.size() == limit) {
          more = true;
          break;
        }
        AuditEntry e = AuditEntry.fromRow(row);
        items.add(e.toJson());
        lastSeq = e.seq();
      }
      return new JsonObject().put("items", items).put("nextCursor", more ? AuditQuery.encode(lastSeq) : null);
    });
  }

  private Future<JsonObject> verify(RoutingContext ctx) {
    MultiMap q = ctx.queryParams();
    boolean archives = !"false".equals(q.get("archives"));
    return bound(q, "from", true).compose(from -> bound(q, "to", false).compose(to -> {
      if (from > to) {
        return Future.succeededFuture(new JsonObject().put("ok", true).put("checked", 0L).put("firstBadSeq", null)
          .put("reason", null).put("fromSeq", null).put("toSeq", null).put("archives", 0));
      }
      return verifier.verify(from, to, archives);
    })).onSuccess(result -> {
      if (!result.getBoolean("ok")) {
        LOG.error("audit: verification asked through the API failed at seq {}: {}", result.getLong("firstBadSeq"), result.getString("reason"));
      }
    });
  }

  /** A verify bound: a seq (digits) or a date-time, turned into the first/last seq at or after/before it. */
  private Future<Long> bound(MultiMap q, String name, boolean lower) {
    String value = q.get(name);
    if (value == null) {
      return Future.succeededFuture(lower ? 1L : Long.MAX_VALUE);
    }
    if (value.matches("[0-9]{1,18}")) {
      return Future.succeededFuture(Long.parseLong(value));
    }
    Instant at = AuditQuery.instant(q, name);
    String sql = lower
      ? "SELECT coalesce((SELECT min(first_seq) FROM audit_archives WHERE day >= $1::date), (SELECT min(seq) FROM audit_log WHERE at >= $2))"
      : "SELECT coalesce((SELECT max(seq) FROM audit_log WHERE at <= $2), (SELECT max(last_seq) FROM audit_archives WHERE day <= $1::date))";
    return pool.preparedQuery(sql).execute(Tuple.of(at.atOffset(ZoneOffset.UTC).toLocalDate(), at.atOffset(ZoneOffset.UTC)))
      .map(rows -> {
        Long seq = rows.iterator().next().getLong(0);
        // Nothing at or after a lower bound (or before an upper one): an empty range.
        return seq != null ? seq : lower ? Long.MAX_VALUE : 0L;
      });
  }

  static int intParam(MultiMap q, String name, int dflt, int min, int max) {
    String value = q.get(name);
    if (value == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw new BadQuery(name, "must be a whole number from " + min + " to " + max);
  }

  private static Handler<RoutingContext> reply(Function<RoutingContext, Future<JsonObject>> handler) {
    return ctx -> {
      Future<JsonObject> result;
      try {
        result = handler.apply(ctx);
      } catch (BadQuery e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(ar -> {
        if (ar.succeeded()) {
          ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store").end(ar.result().encode());
        } else if (ar.cause() instanceof BadQuery bad) {
          ApiError.send(ctx.response(), 400, "invalid_request", bad.getMessage(), bad.details);
        } else {
          LOG.error("audit: {} failed: {}", ctx.request().path(), ar.cause().toString());
          ApiError.send(ctx.response(), 503, "unavailable", "the audit log cannot be read right now, try again", null);
        }
      });
    };
  }
}
