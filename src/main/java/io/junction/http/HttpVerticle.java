package io.junction.http;

import io.junction.http.api.AdminRouter;
import io.junction.http.api.Contracts;
import io.junction.http.api.LoadedContract;
import io.junction.http.api.PlatformRouter;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The two listeners, deployed once per event loop (Vert.x spreads accepted connections over the instances):
 * public (:8080, platform endpoints of openapi/junction-auth.yaml, then gateway routes) and admin (:8081,
 * /api/v1 built from openapi/junction-admin.yaml, health, metrics). Stopping shuts them down
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
    // The contracts are parsed once per node; a broken document fails the start with its name and problem.
    // The parse is shared by every HTTP verticle of the node, so its future may complete on another instance's
    // context: come back to our own before creating servers and clients, or they would belong to (and close
    // with) that other instance.
    PromiseInternal<CompositeFuture> here = ((ContextInternal) context).promise();
    Future.all(Contracts.load(vertx, Contracts.ADMIN), Contracts.load(vertx, Contracts.AUTH)).onComplete(here);
    return here.future()
      .compose(loaded -> {
        LoadedContract adminContract = loaded.resultAt(0);
        LoadedContract authContract = loaded.resultAt(1);
        Router platform = PlatformRouter.create(vertx, http, wiring, authContract);
        Router adminRouter = AdminRouter.create(vertx, http, wiring, adminContract);
        Set<String> platformPaths = PlatformRouter.paths(authContract);
        boolean accessLog = http.getBoolean("accessLog", true);
        Handler<HttpServerRequest> gateway = wiring.gateway().publicHandler(vertx, platform::handle, accessLog);
        // Platform endpoints win over gateway routes with the same path: one set lookup, no router on the hot path.
        publicServer = vertx.createHttpServer(publicOptions).invalidRequestHandler(new InvalidRequests())
          .requestHandler(request -> {
            if (platformPaths.contains(request.path())) {
              platform.handle(request);
            } else {
              gateway.handle(request);
            }
          });
        Handler<HttpConnection> relay = http.getBoolean("directRelay", true)
          ? wiring.gateway().directRelay(vertx, platformPaths, accessLog, publicOptions.getMaxHeaderSize()) : null;
        if (relay != null) {
          publicServer.connectionHandler(relay);
        }
        adminServer = vertx.createHttpServer(adminOptions).invalidRequestHandler(new InvalidRequests()).requestHandler(adminRouter);
        return listen(publicServer, "public", pub).compose(v -> listen(adminServer, "admin", admin));
      });
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

  @Override
  public Future<?> stop() {
    long ms = grace.toMillis();
    Future<Void> pub = publicServer == null ? Future.succeededFuture() : publicServer.shutdown(ms, TimeUnit.MILLISECONDS);
    Future<Void> adm = adminServer == null ? Future.succeededFuture() : adminServer.shutdown(ms, TimeUnit.MILLISECONDS);
    return Future.join(pub, adm).onComplete(ar -> LOG.debug("http: listeners closed"));
  }

}
