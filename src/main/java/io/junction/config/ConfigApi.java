package io.junction.config;

import io.junction.http.AdminApi;
import io.junction.http.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * {@code GET /api/v1/config}, {@code /config/status} and {@code /config/history}. The config module's state lives
 * on its verticle; these handlers (on every HTTP verticle) ask it over the event bus, so they never read it from
 * another thread. Credentials are redacted before anything leaves the module.
 */
public final class ConfigApi implements AdminApi {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigApi.class);
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;

  public ConfigApi(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
      "getConfig", ctx -> ask(ctx, ConfigVerticle.GET_ADDRESS, config -> ask(ctx, ConfigVerticle.STATUS_ADDRESS, status -> {
        JsonObject applied = status.getJsonObject("applied");
        send(ctx, new JsonObject().put("version", applied.getLong("version")).put("hash", applied.getString("hash"))
          .put("config", ConfigDiff.redacted(config)));
      })),
      "getConfigStatus", ctx -> ask(ctx, ConfigVerticle.STATUS_ADDRESS, status -> send(ctx, status)),
      "getConfigHistory", ctx -> ask(ctx, ConfigVerticle.HISTORY_ADDRESS, history -> {
        String limit = ctx.queryParams().get("limit");
        JsonArray items = history.getJsonArray("items");
        int n = limit == null ? items.size() : Math.min(items.size(), Integer.parseInt(limit));
        send(ctx, new JsonObject().put("items", new JsonArray(items.getList().subList(0, n))));
      }));
  }

  private void ask(RoutingContext ctx, String address, Handler<JsonObject> then) {
    vertx.eventBus().<JsonObject>request(address, null, ASK).onComplete(ar -> {
      if (ar.succeeded()) {
        then.handle(ar.result().body());
      } else {
        LOG.warn("config: {} did not answer: {}", address, ar.cause().getMessage());
        ApiError.send(ctx.response(), 503, "unavailable", "the config module did not answer, try again", null);
      }
    });
  }

  private static void send(RoutingContext ctx, JsonObject body) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
      .end(body.encode());
  }
}
