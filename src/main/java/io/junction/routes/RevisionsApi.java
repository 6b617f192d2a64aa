package io.junction.routes;

import io.junction.http.ApiProblem;
import io.junction.http.ApiReplies;
import io.junction.http.AdminApi;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeSet;

/**
 * Changes across both tables: {@code GET /api/v1/revisions?since=} (a revision number or a time) and
 * {@code GET /api/v1/revisions/{a}..{b}/diff} (how the stored routes and services differ between the state
 * right after revision a and right after revision b).
 */
final class RevisionsApi implements AdminApi {
  private final Pool pool;

  RevisionsApi(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of("listRevisions", ApiReplies.handler("routes", this::since), "diffRevisions", ApiReplies.handler("routes", this::diff));
  }

  private Future<ApiReplies.Reply> since(RoutingContext ctx) {
    int limit = ApiReplies.limit(ctx);
    String since = ctx.queryParams().get("since");
    String cursor = ctx.queryParams().get("cursor");
    Long after = cursor == null ? null : DefinitionsApi.revisionCursor(cursor);
    OffsetDateTime from = null;
    if (since != null && after == null) {
      if (since.matches("[0-9]{1,18}")) {
        after = Long.parseLong(since);
      } else {
        try {
          from = OffsetDateTime.parse(since);
        } catch (DateTimeParseException e) {
          throw ApiProblem.invalid("query", "since", "must be a revision number or an RFC 3339 date-time");
        }
      }
    }
    return Store.since(pool, after, from, limit).map(revisions -> {
      JsonArray items = new JsonArray();
      revisions.stream().limit(limit).forEach(r -> items.add(r.toJson()));
      String next = revisions.size() > limit ? DefinitionsApi.encodeCursor(String.valueOf(revisions.get(limit - 1).revision())) : null;
      return ApiReplies.Reply.ok(new JsonObject().put("items", items).put("nextCursor", next));
    });
  }

  private Future<ApiReplies.Reply> diff(RoutingContext ctx) {
    String range = ctx.pathParam("range");
    String[] parts = range.split("\\.\\.");
    long a;
    long b;
    try {
      a = Long.parseLong(parts[0]);
      b = Long.parseLong(parts[1]);
    } catch (RuntimeException e) {
      throw ApiProblem.invalid("path", "range", "must be two revision numbers such as 12..15");
    }
    JsonArray changes = new JsonArray();
    Future<Void> done = Future.succeededFuture();
    for (Kind kind : Kind.values()) {
      done = done.compose(v -> Store.asOf(pool, kind, a, null).compose(before -> Store.asOf(pool, kind, b, null).map(after -> {
        TreeSet<String> ids = new TreeSet<>(before.keySet());
        ids.addAll(after.keySet());
        for (String id : ids) {
          JsonObject then = before.get(id);
          JsonObject now = after.get(id);
          if (then == null || now == null || !then.equals(now)) {
            changes.add(new JsonObject().put("kind", kind.noun).put("id", id)
              .put("change", then == null ? "added" : now == null ? "removed" : "changed").put("before", then).put("after", now));
          }
        }
        return null;
      })));
    }
    return done.map(v -> ApiReplies.Reply.ok(new JsonObject().put("from", a).put("to", b).put("changes", changes)));
  }
}
