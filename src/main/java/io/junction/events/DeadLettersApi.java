package io.junction.events;

import io.junction.http.AdminApi;
import io.junction.http.ApiProblem;
import io.junction.http.ApiReplies;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET /api/v1/events/dead-letters} (newest first, cursor pages) and
 * {@code POST /api/v1/events/dead-letters/{id}/_retry}: the events Kafka refused for good, and putting one back in
 * line for the relay (after the cause was fixed, such as the topic's {@code max.message.bytes}).
 */
public final class DeadLettersApi implements AdminApi {
  private final Pool pool;

  public DeadLettersApi(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
      "listDeadLetters", ApiReplies.handler("events", this::list),
      "retryDeadLetter", ApiReplies.handler("events", this::retry));
  }

  private Future<ApiReplies.Reply> list(RoutingContext ctx) {
    int limit = ApiReplies.limit(ctx);
    String cursor = ctx.queryParams().get("cursor");
    OffsetDateTime beforeAt = null;
    UUID beforeId = null;
    if (cursor != null) {
      try {
        String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
        beforeAt = OffsetDateTime.parse(parts[0]);
        beforeId = UUID.fromString(parts[1]);
      } catch (IllegalArgumentException | DateTimeParseException | ArrayIndexOutOfBoundsException e) {
        throw ApiProblem.invalid("query", "cursor", "is not a cursor returned by this API");
      }
    }
    return OutboxStore.deadLetters(pool, beforeAt, beforeId, limit).map(rows -> {
      JsonArray items = new JsonArray();
      Row last = null;
      for (Row row : rows) {
        if (items.size() == limit) {
          break;
        }
        items.add(new JsonObject().put("id", row.getUUID("id").toString()).put("topic", row.getString("topic")).put("key", row.getString("key"))
          .put("type", ((JsonObject) row.getValue("envelope")).getString("type"))
          .put("createdAt", row.getOffsetDateTime("created_at").toInstant().toString())
          .put("failedAt", row.getOffsetDateTime("failed_at").toInstant().toString())
          .put("attempts", row.getInteger("attempts")).put("error", row.getString("last_error"))
          .put("envelope", row.getValue("envelope")));
        last = row;
      }
      String next = rows.size() > limit && last != null ? Base64.getUrlEncoder().withoutPadding().encodeToString(
        (last.getOffsetDateTime("failed_at").toString() + "|" + last.getUUID("id")).getBytes(StandardCharsets.UTF_8)) : null;
      return ApiReplies.Reply.ok(new JsonObject().put("items", items).put("nextCursor", next));
    });
  }

  private Future<ApiReplies.Reply> retry(RoutingContext ctx) {
    UUID id;
    try {
      id = UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw ApiProblem.notFound("dead letter " + ctx.pathParam("id"));
    }
    return OutboxStore.retry(pool, id).map(found -> {
      if (!found) {
        throw ApiProblem.notFound("dead letter " + id);
      }
      ctx.vertx().eventBus().publish(OutboxRelay.WAKE_ADDRESS, null); // sent at once rather than at the next poll
      return ApiReplies.Reply.ok(new JsonObject().put("id", id.toString()).put("requeued", true));
    });
  }
}
