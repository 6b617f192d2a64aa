package io.junction.gateway;

import io.junction.config.ConfigException;
import io.junction.config.ConfigParticipant;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.auth.JwksSources;
import io.junction.identity.view.IdentityView;
import io.junction.gateway.upstream.ServiceRegistry;
import io.junction.gateway.proxy.DirectRelays;
import io.junction.gateway.proxy.GatewaySnapshot;
import io.junction.gateway.proxy.ProxyHandler;
import io.junction.gateway.proxy.ProxyMeters;
import io.junction.gateway.proxy.RouteUpstreams;
import io.junction.gateway.proxy.RegistryServices;
import io.junction.gateway.proxy.UpstreamCall;
import io.junction.gateway.proxy.UpstreamTls;
import io.junction.observability.GatewayVertxMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
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
 * {@code services} config sections, merged with the routes and services the routes module stores (see
 * {@link Sources} for which wins), into one immutable snapshot, off the hot path, and swaps it atomically
 * when the config module hands it a new version (as a {@link ConfigParticipant} for {@code gateway},
 * {@code services} and {@code routes}: the sections of one version arrive together, are built once, and the
 * answer says whether they were swapped in) or the routes module announces a committed change (a change with any
 * problem is refused; the last good snapshot keeps serving). Rebuilds run one at a time, in order. Requests in
 * flight finish on the snapshot they started with.
 *
 * <p>Bus face for the routes module: {@code junction.gateway.check} (would these stored definitions build,
 * merged with the config? → problems and the expanded route definitions), {@code junction.gateway.match}
 * (which route serves this request on the live table, and where would it go) and {@code junction.gateway.config}
 * (the config's own routes and services, expanded).
 */
public class GatewayVerticle extends VerticleBase implements Gateway {
  public static final String ROUTES_ADDRESS = "junction.gateway.routes";
  public static final String CHECK_ADDRESS = "junction.gateway.check";
  public static final String MATCH_ADDRESS = "junction.gateway.match";
  public static final String CONFIG_ADDRESS = "junction.gateway.config";
  /** The routes module's face: a publish after every committed change, and the stored definitions on request. */
  static final String STORED_CHANGED = "junction.routes.changed";
  static final String STORED_ADDRESS = "junction.routes.stored";
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private final AtomicReference<GatewaySnapshot> snapshot = new AtomicReference<>();
  private ServiceRegistry registry;
  /** The API server, token and own namespace that Kubernetes discovery of services uses. */
  private final io.junction.config.KubernetesSettings kube;
  private final GatewayBuilder builder = new GatewayBuilder();
  private final MeterRegistry meters;
  private final ProxyMeters proxyMeters;
  private final String redisUrl;
  private Redis redis;
  private JsonObject gatewayConfig;
  private JsonObject servicesConfig;
  private IdentityView identity;
  private JwksSources jwks;
  private boolean apiOverrides;
  private long debounceMs;
  private JsonArray storedRoutes = new JsonArray();
  private JsonObject storedServices = new JsonObject();
  private long storedRevision = -1;
  private boolean loadPending;
  private boolean loading;
  private boolean loadAgain;
  /** The last rebuild asked for: the next one starts when it is done. */
  private Future<?> rebuilding = Future.succeededFuture();
  private ConfigParticipant participant;
  private final JsonObject bootConfig;
  private Timer rebuilds;

  /**
   * @param identity the identity view JwtAuth, ApiKey and the JwtClaim predicate check Junction's tokens and
   *                 keys against (shared with the admin API)
   * @param env      the process environment (KUBERNETES_SERVICE_HOST/PORT, KUBERNETES_NAMESPACE for discovery)
   */
  public GatewayVerticle(JsonObject config, MeterRegistry meters, IdentityView identity, java.util.Map<String, String> env) {
    this.gatewayConfig = config.getJsonObject("gateway");
    this.servicesConfig = config.getJsonObject("services");
    this.meters = meters;
    this.proxyMeters = new ProxyMeters(meters, snapshot::get);
    this.redisUrl = config.getJsonObject("redis").getString("url", "");
    this.identity = identity;
    this.kube = io.junction.config.KubernetesSettings.from(config.getJsonObject("config", new JsonObject()).getJsonObject("kubernetes"), env);
    this.bootConfig = config;
    routesSettings(config.getJsonObject("routes"));
  }

  private void routesSettings(JsonObject routes) {
    JsonObject r = routes == null ? new JsonObject() : routes;
    this.apiOverrides = r.getBoolean("apiOverrides", false);
    this.debounceMs = io.junction.config.Durations.parse(r.getValue("debounce", "50ms")).toMillis();
  }

  @Override
  public Future<?> start() {
    jwks = new JwksSources(vertx);
    rebuilds = Timer.builder("junction.route.table.rebuild").description("Route table rebuilds (build, start upstreams, swap)")
      .register(meters);
    if (!redisUrl.isBlank()) {
      redis = Redis.createClient(vertx, redisUrl); // cluster-wide rate limits; filters fall back to local on failure
    }
    return loadStored().recover(err -> {
      if (noRoutesModule(err)) {
        return Future.succeededFuture(); // deployed without the routes module (tests of the gateway alone)
      }
      // The data plane serves the config's routes while the route store cannot answer; it retries.
      LOG.warn("gateway: stored routes unavailable at start ({}); serving config routes, retrying", err.getMessage());
      vertx.setTimer(2_000, t -> storedChanged());
      return Future.succeededFuture();
    }).compose(v -> {
      Built first = build(gatewayConfig, servicesConfig);
      if (first.snapshot() == null && !storedRoutes.isEmpty()) {
        LOG.error("gateway: stored routes refused at start, serving config routes only: {}", describe(first.problems()));
        storedRoutes = new JsonArray();
        storedServices = new JsonObject();
        first = build(gatewayConfig, servicesConfig);
      }
      if (first.snapshot() == null) {
        return Future.failedFuture(new ConfigException(describe(first.problems())));
      }
      registry = first.registry();
      snapshot.set(first.snapshot());
      LOG.info("gateway: {} route(s), {} service(s) loaded", first.snapshot().table().routes().size(), registry.names().size());
      vertx.eventBus().consumer(STORED_CHANGED, msg -> storedChanged());
      vertx.eventBus().consumer(ROUTES_ADDRESS, msg -> {
        JsonArray ids = new JsonArray();
        snapshot.get().table().routes().forEach(r -> ids.add(r.id()));
        msg.reply(new JsonObject().put("routes", ids));
      });
      vertx.eventBus().<JsonObject>consumer(CHECK_ADDRESS, msg -> msg.reply(check(msg.body())));
      vertx.eventBus().<JsonObject>consumer(MATCH_ADDRESS, msg -> {
        try {
          msg.reply(RouteProbe.probe(snapshot.get(), registry, msg.body() == null ? new JsonObject() : msg.body()));
        } catch (IllegalArgumentException e) {
          msg.fail(400, e.getMessage());
        }
      });
      vertx.eventBus().<JsonObject>consumer(CONFIG_ADDRESS, msg -> msg.reply(configView()));
      return registry.start(vertx, kube);
    }).compose(v -> ConfigParticipant.join(vertx, "gateway", List.of("gateway", "services", "routes"), bootConfig,
      (sections, version) -> applyConfig(sections)))
      .onSuccess(p -> participant = p);
  }

  /** One config version's gateway, services and routes sections: built together, swapped in or refused whole. */
  private Future<Void> applyConfig(JsonObject sections) {
    JsonObject gateway = sections.getJsonObject("gateway");
    JsonObject services = sections.getJsonObject("services");
    JsonObject routes = sections.getJsonObject("routes");
    return enqueue(() -> {
      boolean overrides = apiOverrides;
      long debounce = debounceMs;
      routesSettings(routes);
      return rebuild(gateway, services).onFailure(err -> {
        apiOverrides = overrides;
        debounceMs = debounce;
      });
    });
  }

  /** Asks the routes module for every stored route and service; keeps them when newer than what we have. */
  private Future<Void> loadStored() {
    return vertx.eventBus().<JsonObject>request(STORED_ADDRESS, new JsonObject(),
        new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(10_000))
      .map(reply -> {
        JsonObject body = reply.body();
        long revision = body.getLong("revision", 0L);
        if (revision >= storedRevision) {
          storedRevision = revision;
          storedRoutes = body.getJsonArray("routes", new JsonArray());
          storedServices = body.getJsonObject("services", new JsonObject());
        }
        return null;
      });
  }

  /**
   * A committed change: wait {@code routes.debounce} so that changes arriving together are read and built
   * once, then read the stored definitions and rebuild. One read at a time; a change during a read asks for
   * another after it.
   */
  private void storedChanged() {
    if (loading) {
      loadAgain = true;
      return;
    }
    if (loadPending) {
      return;
    }
    loadPending = true;
    vertx.setTimer(Math.max(1, debounceMs), t -> {
      loadPending = false;
      loading = true;
      loadStored().onComplete(ar -> {
        loading = false;
        if (ar.failed() && !noRoutesModule(ar.cause())) {
          LOG.warn("gateway: could not read stored routes ({}); retrying", ar.cause().getMessage());
          vertx.setTimer(1_000, again -> storedChanged());
        } else {
          // Built with the config in force when its turn comes, not with the one of now.
          enqueue(() -> rebuild(gatewayConfig, servicesConfig));
        }
        if (loadAgain) {
          loadAgain = false;
          storedChanged();
        }
      });
    });
  }

  private static boolean noRoutesModule(Throwable err) {
    return err instanceof io.vertx.core.eventbus.ReplyException r && r.failureType() == io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS;
  }

  /** Would these stored definitions (replacing every stored one) build together with the config? */
  private JsonObject check(JsonObject body) {
    JsonObject request = body == null ? new JsonObject() : body;
    JsonArray routes = request.getJsonArray("routes", new JsonArray());
    JsonObject services = request.getJsonObject("services", new JsonObject());
    io.junction.gateway.route.definition.RouteParser.Result parsed =
      io.junction.gateway.route.definition.RouteParser.parse(routes, "routes");
    JsonArray expanded = new JsonArray();
    if (parsed.ok()) {
      parsed.routes().forEach(r -> expanded.add(r.toJson()));
    }
    Sources.Merged merged = Sources.merge(gatewayConfig, servicesConfig, parsed.ok() ? expanded : routes, services, apiOverrides);
    Built built = buildMerged(merged.gateway(), merged.services());
    JsonArray problems = built.snapshot() == null ? Sources.problems(built.problems(), merged) : new JsonArray();
    return new JsonObject().put("problems", problems).put("routes", expanded);
  }

  private JsonObject configView() {
    io.junction.gateway.route.definition.RouteParser.Result parsed =
      io.junction.gateway.route.definition.RouteParser.parse(gatewayConfig == null ? null : gatewayConfig.getValue("routes"), "gateway.routes");
    JsonArray routes = new JsonArray();
    parsed.routes().forEach(r -> routes.add(r.toJson()));
    return new JsonObject().put("routes", routes).put("services", servicesConfig == null ? new JsonObject() : servicesConfig.copy())
      .put("apiOverrides", apiOverrides);
  }

  /** A snapshot and the service registry it uses, or the problems of the config. */
  private record Built(GatewaySnapshot snapshot, ServiceRegistry registry, List<String> problems) {
  }

  /** The config sections merged with the stored definitions, built. */
  private Built build(JsonObject gateway, JsonObject services) {
    Sources.Merged merged = Sources.merge(gateway, services, storedRoutes, storedServices, apiOverrides);
    if (!merged.shadowed().isEmpty()) {
      LOG.warn("gateway: stored definitions {} are shadowed by the config (routes.apiOverrides is false)", merged.shadowed());
    }
    return buildMerged(merged.gateway(), merged.services());
  }

  private Built buildMerged(JsonObject gateway, JsonObject services) {
    ServiceRegistry.Result upstreams = ServiceRegistry.build(services == null ? new JsonObject() : services, registry);
    Set<String> serviceNames = services == null ? Set.of() : services.fieldNames();
    RouteUpstreams.Services lb = upstreams.registry() == null ? null : new RegistryServices(upstreams.registry());
    GatewayBuilder.Result routes = builder.build(gateway == null ? new JsonObject() : gateway, serviceNames, lb,
      routeId -> new FilterContext(vertx, meters, routeId, redis, ProxyHandler.FORWARDER, identity, jwks));
    List<String> problems = new ArrayList<>(upstreams.problems());
    problems.addAll(routes.problems());
    return problems.isEmpty() ? new Built(routes.snapshot(), upstreams.registry(), List.of()) : new Built(null, null, problems);
  }

  /** Runs one rebuild after the ones asked for before it (a registry start is asynchronous). */
  private Future<Void> enqueue(java.util.function.Supplier<Future<Void>> step) {
    Future<Void> next = rebuilding.transform(ar -> step.get());
    rebuilding = next;
    return next;
  }

  /**
   * Builds the new snapshot off the hot path; swaps it in only when the whole config is good, else fails with
   * the problems and the last good snapshot keeps serving.
   */
  private Future<Void> rebuild(JsonObject gateway, JsonObject services) {
    long t0 = System.nanoTime();
    Built next = build(gateway, services);
    if (next.snapshot() == null) {
      LOG.error("gateway: configuration refused, still serving the previous routes: {}", describe(next.problems()));
      return Future.failedFuture(new ConfigException(describe(next.problems())));
    }
    ServiceRegistry previous = registry;
    return next.registry().start(vertx, kube).transform(ar -> {
      gatewayConfig = gateway;
      servicesConfig = services;
      registry = next.registry();
      snapshot.set(next.snapshot());
      previous.stop();
      long nanos = System.nanoTime() - t0;
      rebuilds.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
      LOG.info("gateway: {} route(s), {} service(s) loaded in {} ms", next.snapshot().table().routes().size(),
        registry.names().size(), nanos / 1_000_000);
      return Future.succeededFuture();
    });
  }

  private static String describe(List<String> problems) {
    return problems.size() + " problem(s) in the gateway configuration: " + String.join("; ", problems);
  }

  @Override
  public Future<?> stop() {
    if (participant != null) {
      participant.leave();
    }
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
        .setName(GatewayVertxMetrics.UPSTREAM_CLIENT)),
      new PoolOptions().setHttp1MaxSize(256).setMaxWaitQueueSize(10_000));
    var webSockets = verticleVertx.createWebSocketClient(tls.apply(new WebSocketClientOptions().setTcpNoDelay(true).setMaxConnections(10_000)));
    return new ProxyHandler(snapshot::get, new UpstreamCall(verticleVertx, client, webSockets, proxyMeters), fallback, accessLog, identity);
  }

  @Override
  public Handler<HttpConnection> directRelay(Vertx verticleVertx, Set<String> reservedPaths, boolean accessLog, int maxHeaderSize) {
    return new DirectRelays(verticleVertx, snapshot::get, proxyMeters, accessLog, identity, reservedPaths, maxHeaderSize);
  }
}
