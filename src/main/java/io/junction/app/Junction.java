package io.junction.app;

import io.junction.audit.AuditVerticle;
import io.junction.cache.CacheVerticle;
import io.junction.cache.Caches;
import io.junction.config.ConfigApi;
import io.junction.config.ConfigLoader;
import io.junction.config.ConfigParticipant;
import io.junction.config.ConfigVerticle;
import io.junction.config.Durations;
import io.junction.events.EventsVerticle;
import io.junction.gateway.GatewayVerticle;
import io.junction.http.AdminApi;
import io.junction.http.HttpVerticle;
import io.junction.http.AdminApi;
import io.junction.http.HttpWiring;
import io.junction.identity.IdentityVerticle;
import io.junction.identity.view.IdentityView;
import io.junction.observability.LogSetup;
import io.junction.observability.Metrics;
import io.junction.observability.Tracing;
import io.junction.routes.RoutesVerticle;
import io.junction.storage.StorageVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import io.junction.http.AdminApi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One running Junction: builds Vert.x, deploys the modules in order (config → storage → cache → audit →
 * events → identity → routes → gateway → http) and undeploys them in reverse. Used by Main and by the tests.
 */
public final class Junction {
  private static final Logger LOG = LoggerFactory.getLogger(Junction.class);

  private record Deployed(String module, String id) {
  }

  private final ConfigLoader loader;
  private JsonObject config;
  private final Deque<Deployed> deployed = new ArrayDeque<>();
  private Metrics metrics;
  private Tracing tracing = Tracing.off();
  private Caches caches;
  private IdentityView identityView;
  private Vertx vertx;
  private volatile boolean ready;
  private Future<Void> stopping;

  public Junction(ConfigLoader loader, JsonObject config) {
    this.loader = loader;
    this.config = config;
  }

  public JsonObject config() {
    return config;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Metrics metrics() {
    return metrics;
  }

  /** The OpenTelemetry SDK Vert.x traces with ({@code tracing.enabled}), or an off one. */
  public Tracing tracing() {
    return tracing;
  }

  /** The node-local caches every module shares (see the cache module). */
  public Caches caches() {
    return caches;
  }

  /** Completes when every module runs; fails with a ModuleStartException naming the module that did not. */
  public Future<Void> start() {
    metrics = new Metrics();
    vertx = buildVertx();
    // Config first: with config.kubernetes on, the ConfigMap and Secret complete the boot config (credentials, routes).
    ConfigVerticle configModule = new ConfigVerticle(loader, config, metrics.registry());
    return deploy("config", configModule).compose(v -> {
      config = configModule.applied();
      return startModules();
    });
  }

  private Future<Void> startModules() {
    HealthChecks readiness = HealthChecks.create(vertx);
    HealthChecks liveness = HealthChecks.create(vertx);
    // Live: the event loop answers at all. Ready: every module deployed and every dependency answering.
    liveness.register("event-loop", promise -> promise.complete(Status.OK()));
    readiness.register("modules", promise -> promise.complete(ready ? Status.OK()
      : Status.KO(new JsonObject().put("reason", stopping != null ? "shutting down" : "starting"))));

    StorageVerticle storage = new StorageVerticle(config.getJsonObject("storage"), readiness);
    caches = new Caches(metrics.registry());
    // One identity view per node: admin API and gateway filters verify tokens against it, locally.
    identityView = IdentityView.open(vertx);
    GatewayVerticle gateway = new GatewayVerticle(config, metrics.registry(), identityView, loader.env());
    IdentityVerticle identity = new IdentityVerticle(storage, config.getJsonObject("identity"), metrics.registry());
    AuditVerticle audit = new AuditVerticle(storage, config.getJsonObject("audit"), metrics.registry());
    RoutesVerticle routes = new RoutesVerticle(storage, caches, config, metrics.registry());
    EventsVerticle events = new EventsVerticle(storage, config.getJsonObject("kafka"), readiness, metrics.registry());
    Duration grace = Durations.parse(config.getJsonObject("shutdown").getValue("gracePeriod"));
    int configuredInstances = config.getJsonObject("http").getInteger("instances", 0);
    int httpInstances = configuredInstances > 0 ? configuredInstances : eventLoops();

    long started = System.nanoTime();
    return deploy("storage", storage)
      .onSuccess(v -> closeStorageLast())
      .compose(v -> deploy("cache", new CacheVerticle(caches, config.getJsonObject("redis"), readiness)))
      .compose(v -> deploy("audit", audit))
      .compose(v -> deploy("events", events))
      .compose(v -> deploy("identity", identity))
      .compose(v -> identityView.ready().<Void>mapEmpty().timeout(10, TimeUnit.SECONDS)
        .recover(err -> Future.failedFuture(new ModuleStartException("identity", new IllegalStateException(
          "no identity snapshot within 10 s: " + err.getMessage(), err)))))
      .compose(v -> deploy("routes", routes))
      .compose(v -> deploy("gateway", gateway))
      .compose(v -> {
        HttpWiring wiring = new HttpWiring(gateway, metrics, readiness, liveness, adminApis(identity, audit, routes, events), identity.authApi(), identityView)
          .audited(audit.adminAudit());
        return deploy("http", () -> new HttpVerticle(config.getJsonObject("http"), grace, wiring), httpInstances);
      })
      .compose(v -> ConfigParticipant.join(vertx, "logging", List.of("logging"), config, (sections, version) -> {
        JsonObject logging = sections.getJsonObject("logging");
        LogSetup.apply(logging.getString("format"), logging.getString("level"));
        return Future.succeededFuture();
      }).recover(err -> Future.failedFuture(new ModuleStartException("config", err))))
      .onSuccess(p -> {
        ready = true;
        JsonObject http = config.getJsonObject("http");
        LOG.info("Junction ready in {} ms: public :{}, admin :{}, {} event loop(s), {} HTTP verticle(s)",
          (System.nanoTime() - started) / 1_000_000, http.getJsonObject("public").getInteger("port"),
          http.getJsonObject("admin").getInteger("port"), eventLoops(), httpInstances);
      }).mapEmpty();
  }

  /** Config boots first (it completes the config) but storage still closes last: other modules' last writes need it. */
  private void closeStorageLast() {
    Deployed storage = deployed.pop();
    deployed.addLast(storage);
  }

  /** Every module's admin API operations; the contract router refuses to start if one operation has none. */
  private List<AdminApi> adminApis(IdentityVerticle identity, AuditVerticle audit, RoutesVerticle routes, EventsVerticle events) {
    List<AdminApi> apis = new ArrayList<>(identity.adminApis());
    apis.add(audit.adminApi());
    apis.addAll(routes.adminApis());
    apis.add(events.adminApi());
    apis.add(new ConfigApi(vertx, config, loader.env()));
    return apis;
  }

  private Vertx buildVertx() {
    JsonObject v = config.getJsonObject("vertx");
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(eventLoops());
    Transport transport = Transports.choose(v.getString("transport", "auto"));
    metrics.configure(options);
    tracing = Tracing.create(config.getJsonObject("tracing"), metrics.registry());
    var builder = Vertx.builder().with(options).withTransport(transport).withMetrics(metrics.factory(config.getJsonObject("http").getJsonObject("public").getInteger("port", 0)));
    if (tracing.enabled()) {
      builder.withTracer(tracing.tracerFactory()); // off: no tracer at all, so Vert.x does no tracing work
    }
    Vertx built = builder.build();
    LOG.info("Vert.x started: {} transport, {} event loop(s)", transport.name(), eventLoops());
    return built;
  }

  private int eventLoops() {
    int configured = config.getJsonObject("vertx").getInteger("eventLoops", 0);
    return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
  }

  private Future<Void> deploy(String module, Deployable verticle) {
    return deploy(module, () -> verticle, 1);
  }

  private Future<Void> deploy(String module, Supplier<? extends Deployable> verticles, int instances) {
    long t0 = System.nanoTime();
    return vertx.deployVerticle(verticles, new DeploymentOptions().setInstances(instances))
      .<Void>map(id -> {
        deployed.push(new Deployed(module, id));
        LOG.info("module {} started in {} ms", module, (System.nanoTime() - t0) / 1_000_000);
        return null;
      })
      .recover(err -> Future.failedFuture(new ModuleStartException(module, err)));
  }

  /** Not ready at once, then each module closes in reverse boot order (http drains first), then Vert.x. */
  public synchronized Future<Void> stop() {
    if (stopping != null) {
      return stopping;
    }
    ready = false;
    Promise<Void> done = Promise.promise();
    stopping = done.future();
    if (vertx == null) {
      done.complete();
      return stopping;
    }
    // Vert.x is closed from a plain thread: its completion cannot be delivered on an event loop it has just stopped.
    undeployNext().onComplete(ar -> ForkJoinPool.commonPool().execute(() -> {
      try {
        vertx.close().await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("Vert.x did not close cleanly: {}", e.toString());
      }
      tracing.close();
      metrics.close();
      LOG.info("Junction stopped");
      done.complete();
    }));
    return stopping;
  }

  private Future<Void> undeployNext() {
    Deployed next = deployed.poll();
    if (next == null) {
      return Future.succeededFuture();
    }
    long t0 = System.nanoTime();
    return vertx.undeploy(next.id())
      .onComplete(ar -> {
        if (ar.succeeded()) {
          LOG.info("module {} closed in {} ms", next.module(), (System.nanoTime() - t0) / 1_000_000);
        } else {
          LOG.warn("module {} did not close cleanly: {}", next.module(), ar.cause().getMessage());
        }
      })
      .transform(ar -> undeployNext());
  }
}
