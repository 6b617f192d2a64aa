package io.junction.gateway;

import io.junction.config.ConfigException;
import io.junction.config.ConfigVerticle;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.auth.JwksSources;
import io.junction.identity.view.IdentityView;
import io.junction.gateway.upstream.ServiceRegistry;
import io.junction.gateway.proxy.GatewaySnapshot;
import io.junction.gateway.proxy.ProxyHandler;
import io.junction.gateway.proxy.ProxyMeters;
import io.junction.gateway.proxy.RouteUpstreams;
import io.junction.gateway.proxy.RegistryServices;
import io.junction.gateway.proxy.UpstreamCall;
import io.junction.gateway.proxy.UpstreamTls;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gateway module: builds the route table, filter chains and upstreams from the {@code gateway} and
 * {@code services} config sections into one immutable snapshot, off the hot path, and swaps it atomically
 * when the config module publishes a change (a change with any problem is refused; the last good snapshot
 * keeps serving). Requests in flight finish on the snapshot they started with.
 */
public class GatewayVerticle extends VerticleBase implements Gateway {
  public static final String ROUTES_ADDRESS = "junction.gateway.routes";
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private final AtomicReference<GatewaySnapshot> snapshot = new AtomicReference<>();
  private ServiceRegistry registry;
  private final GatewayBuilder builder = new GatewayBuilder();
  private final MeterRegistry meters;
  private final ProxyMeters proxyMeters;
  private final String redisUrl;
  private Redis redis;
  private JsonObject gatewayConfig;
  private JsonObject servicesConfig;
  private IdentityView identity;
  private JwksSources jwks;

  /**
   * @param identity the identity view JwtAuth, ApiKey and the JwtClaim predicate check Junction's tokens and
   *                 keys against (shared with the admin API)
   */
  public GatewayVerticle(JsonObject config, MeterRegistry meters, IdentityView identity) {
    this.gatewayConfig = config.getJsonObject("gateway");
    this.servicesConfig = config.getJsonObject("services");
    this.meters = meters;
    this.proxyMeters = new ProxyMeters(meters, snapshot::get);
    this.redisUrl = config.getJsonObject("redis").getString("url", "");
    this.identity = identity;
  }

  @Override
  public Future<?> start() {
    jwks = new JwksSources(vertx);
    if (!redisUrl.isBlank()) {
      redis = Redis.createClient(vertx, redisUrl); // cluster-wide rate limits; filters fall back to local on failure
    }
    Built first = build(gatewayConfig, servicesConfig);
    if (first.snapshot() == null) {
      return Future.failedFuture(new ConfigException(describe(first.problems())));
    }
    registry = first.registry();
    snapshot.set(first.snapshot());
    LOG.info("gateway: {} route(s), {} service(s) loaded", first.snapshot().table().routes().size(), registry.names().size());
    vertx.eventBus().<JsonObject>consumer(ConfigVerticle.CHANGED_PREFIX + "gateway", msg -> reload(msg.body(), servicesConfig));
    vertx.eventBus().<JsonObject>consumer(ConfigVerticle.CHANGED_PREFIX + "services", msg -> reload(gatewayConfig, msg.body()));
    vertx.eventBus().consumer(ROUTES_ADDRESS, msg -> {
      JsonArray ids = new JsonArray();
      snapshot.get().table().routes().forEach(r -> ids.add(r.id()));
      msg.reply(new JsonObject().put("routes", ids));
    });
    return registry.start(vertx);
  }

  /** A snapshot and the service registry it uses, or the problems of the config. */
  private record Built(GatewaySnapshot snapshot, ServiceRegistry registry, List<String> problems) {
  }

  private Built build(JsonObject gateway, JsonObject services) {
    ServiceRegistry.Result upstreams = ServiceRegistry.build(services == null ? new JsonObject() : services, registry);
    Set<String> serviceNames = services == null ? Set.of() : services.fieldNames();
    RouteUpstreams.Services lb = upstreams.registry() == null ? null : new RegistryServices(upstreams.registry());
    GatewayBuilder.Result routes = builder.build(gateway == null ? new JsonObject() : gateway, serviceNames, lb,
      routeId -> new FilterContext(vertx, meters, routeId, redis, ProxyHandler.FORWARDER, identity, jwks));
    List<String> problems = new ArrayList<>(upstreams.problems());
    problems.addAll(routes.problems());
    return problems.isEmpty() ? new Built(routes.snapshot(), upstreams.registry(), List.of()) : new Built(null, null, problems);
  }

  /** Builds the new snapshot off the hot path; swaps it in only when the whole config is good. */
  private void reload(JsonObject gateway, JsonObject services) {
    long t0 = System.nanoTime();
    Built next = build(gateway, services);
    if (next.snapshot() == null) {
      LOG.error("gateway: configuration refused, still serving the previous routes: {}", describe(next.problems()));
      return;
    }
    ServiceRegistry previous = registry;
    next.registry().start(vertx).onComplete(ar -> {
      gatewayConfig = gateway;
      servicesConfig = services;
      registry = next.registry();
      snapshot.set(next.snapshot());
      previous.stop();
      LOG.info("gateway: {} route(s), {} service(s) loaded in {} ms", next.snapshot().table().routes().size(),
        registry.names().size(), (System.nanoTime() - t0) / 1_000_000);
    });
  }

  private static String describe(List<String> problems) {
    return problems.size() + " problem(s) in the gateway configuration: " + String.join("; ", problems);
  }

  @Override
  public Future<?> stop() {
    if (jwks != null) {
      jwks.close();
    }
    if (redis != null) {
      redis.close();
    }
    return registry == null ? Future.succeededFuture() : registry.stop();
  }

  @Override
  public Handler<HttpServerRequest> publicHandler(Vertx verticleVertx, Handler<HttpServerRequest> fallback, boolean accessLog) {
    UpstreamTls tls = snapshot.get().upstreamTls();
    var client = verticleVertx.createHttpClient(tls.apply(new HttpClientOptions()
        .setKeepAlive(true)
        .setTcpNoDelay(true)
        .setDecompressionSupported(false)
        .setKeepAliveTimeout(60)
        .setName("junction-upstream")),
      new PoolOptions().setHttp1MaxSize(256).setMaxWaitQueueSize(10_000));
    var webSockets = verticleVertx.createWebSocketClient(tls.apply(new WebSocketClientOptions().setTcpNoDelay(true).setMaxConnections(10_000)));
    return new ProxyHandler(snapshot::get, new UpstreamCall(verticleVertx, client, webSockets, proxyMeters), fallback, accessLog, identity);
  }
}
