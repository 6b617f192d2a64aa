package io.junction.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The two listeners, deployed once per event loop (Vert.x spreads accepted connections over the instances):
 * public (:8080, gateway routes) and admin (:8081, /api/v1, health, metrics). Stopping shuts them down
 * gracefully: no new connections, in-flight requests get up to shutdown.gracePeriod.
 */
public class HttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

  private final JsonObject http;
  private final Duration grace;
  private final HttpWiring wiring;
  private HttpServer publicServer;
  private HttpServer adminServer;

  public HttpVerticle(JsonObject httpConfig, Duration grace, HttpWiring wiring) {
    this.http = httpConfig;
    this.grace = grace;
    this.wiring = wiring;
  }

  @Override
  public Future<?> start() {
    JsonObject pub = http.getJsonObject("public");
    JsonObject admin = http.getJsonObject("admin");
    HttpServerOptions publicOptions = serverOptions();
    // The gateway answers 100-continue itself once its filters accept the request; the admin API always does.
    HttpServerOptions adminOptions = serverOptions().setHandle100ContinueAutomatically(true);
    try {
      TlsSettings.apply("public", pub, publicOptions);
      TlsSettings.apply("admin", admin, adminOptions);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Router fallback = publicRouter();
    publicServer = vertx.createHttpServer(publicOptions).invalidRequestHandler(new InvalidRequests())
      .requestHandler(wiring.gateway().publicHandler(vertx, fallback::handle, http.getBoolean("accessLog", true)));
    adminServer = vertx.createHttpServer(adminOptions).invalidRequestHandler(new InvalidRequests()).requestHandler(adminRouter());
    return listen(publicServer, "public", pub)
      .compose(v -> listen(adminServer, "admin", admin));
  }

  private HttpServerOptions serverOptions() {
    return new HttpServerOptions()
      .setMaxHeaderSize(http.getInteger("maxHeaderSize", 65536))
      .setCompressionSupported(false)
      .setTcpNoDelay(true)
      .setReuseAddress(true);
  }

  private Future<Void> listen(HttpServer server, String name, JsonObject listener) {
    int port = listener.getInteger("port");
    String host = listener.getString("host");
    return server.listen(port, host).<Void>mapEmpty().recover(err -> Future.failedFuture(new IllegalStateException(
      "cannot listen on " + host + ":" + port + " (http." + name + ".port): " + describe(err), err)));
  }

  private static String describe(Throwable err) {
    String msg = String.valueOf(err.getMessage());
    return msg.contains("Address already in use") ? "address already in use" : msg;
  }

  /** What the public listener serves besides gateway routes: platform endpoints, then a JSON 404. */
  private Router publicRouter() {
    Router router = Router.router(vertx);
    router.route().handler(new RequestIds());
    if (http.getBoolean("accessLog", true)) {
      router.route().handler(new AccessLog("public"));
    }
    router.route().handler(ctx -> ApiError.send(ctx.response(), 404, "not_found", "no route matches " + ctx.request().method() + " " + ctx.request().path(), null));
    router.route().failureHandler(new ErrorHandler());
    return router;
  }

  private Router adminRouter() {
    Router router = Router.router(vertx);
    router.route().handler(new RequestIds());
    if (http.getBoolean("accessLog", true)) {
      router.route().handler(new AccessLog("admin"));
    }
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(wiring.liveness()));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(wiring.readiness()));
    router.get("/metrics").handler(ctx -> ctx.response()
      .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
      .end(wiring.metrics().scrape()));
    router.route("/api/v1/*").handler(BodyHandler.create(false).setBodyLimit(http.getLong("maxBodySize", 10485760L)));
    router.route().handler(ctx -> ApiError.send(ctx.response(), 404, "not_found", "no such resource: " + ctx.request().method() + " " + ctx.request().path(), null));
    router.route().failureHandler(new ErrorHandler());
    return router;
  }

  @Override
  public Future<?> stop() {
    long ms = grace.toMillis();
    Future<Void> pub = publicServer == null ? Future.succeededFuture() : publicServer.shutdown(ms, TimeUnit.MILLISECONDS);
    Future<Void> adm = adminServer == null ? Future.succeededFuture() : adminServer.shutdown(ms, TimeUnit.MILLISECONDS);
    return Future.join(pub, adm).onComplete(ar -> LOG.debug("http: listeners closed"));
  }

}
