package io.junction.gateway;

import io.junction.config.ConfigVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Gateway module: keeps the current {@code gateway} and {@code services} config sections as one immutable
 * snapshot, replaced whole when the config module publishes a change, and answers
 * {@code junction.gateway.routes} with the configured route ids.
 */
public class GatewayVerticle extends VerticleBase implements Gateway {
  public static final String ROUTES_ADDRESS = "junction.gateway.routes";
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private record Snapshot(JsonObject gateway, JsonObject services) {
    JsonArray routeIds() {
      JsonArray ids = new JsonArray();
      gateway.getJsonArray("routes", new JsonArray()).forEach(r -> {
        if (r instanceof JsonObject route) {
          ids.add(route.getString("id"));
        }
      });
      return ids;
    }
  }

  private final AtomicReference<Snapshot> snapshot;

  public GatewayVerticle(JsonObject config) {
    snapshot = new AtomicReference<>(new Snapshot(config.getJsonObject("gateway"), config.getJsonObject("services")));
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().<JsonObject>consumer(ConfigVerticle.CHANGED_PREFIX + "gateway",
      msg -> swap(new Snapshot(msg.body(), snapshot.get().services())));
    vertx.eventBus().<JsonObject>consumer(ConfigVerticle.CHANGED_PREFIX + "services",
      msg -> swap(new Snapshot(snapshot.get().gateway(), msg.body())));
    vertx.eventBus().consumer(ROUTES_ADDRESS, msg -> msg.reply(new JsonObject().put("routes", snapshot.get().routeIds())));
    int routes = snapshot.get().routeIds().size();
    if (routes > 0) {
      LOG.warn("gateway: {} route(s) configured; this build has no proxy engine yet, so the public listener answers 404", routes);
    }
    return Future.succeededFuture();
  }

  private void swap(Snapshot next) {
    snapshot.set(next);
    LOG.info("gateway: configuration replaced ({} route(s))", next.routeIds().size());
  }

  /** No route engine in this build: every public request falls through to the listener's 404. */
  @Override
  public void handle(RoutingContext ctx) {
    ctx.next();
  }
}
