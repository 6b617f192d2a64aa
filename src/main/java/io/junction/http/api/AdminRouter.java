package io.junction.http.api;

import io.junction.http.AccessLog;
import io.junction.http.ApiError;
import io.junction.http.ErrorHandler;
import io.junction.http.HttpWiring;
import io.junction.http.RequestIds;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

import java.util.Set;

/**
 * The admin listener's router: request ids and access log, then /api/v1 from the admin contract (every
 * operation bound to a module's handler), /health/live, /health/ready, /metrics, and JSON 404/405 for the rest.
 */
public final class AdminRouter {
  public static final String API_PREFIX = "/api/v1/";

  private AdminRouter() {
  }

  /** @throws ContractException when the contract and the wired handlers disagree */
  public static Router create(Vertx vertx, JsonObject http, HttpWiring wiring, LoadedContract contract) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(http.getLong("maxBodySize", 10485760L));
    ContractRouter builder = new ContractRouter(vertx, contract)
      .apis(wiring.adminApis())
      .own(ContractDocument.handlers(contract))
      .auth(wiring.adminAuth())
      .rootHandler(new RequestIds())
      .rootHandler(new AdminRequestAudit(wiring.adminAudit()));
    if (http.getBoolean("accessLog", true)) {
      builder.rootHandler(new AccessLog("admin"));
    }
    // Only the API reads bodies; health and metrics probes stay cheap.
    builder.rootHandler(ctx -> {
      if (ctx.request().path().startsWith(API_PREFIX)) {
        body.handle(ctx);
      } else {
        ctx.next();
      }
    });
    Router router = builder.build();
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(wiring.liveness()));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(wiring.readiness()));
    router.get("/metrics").handler(ctx -> ctx.response()
      .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
      .end(wiring.metrics().scrape()));
    router.route(API_PREFIX + "*").handler(ContractRouter.unmatched(contract));
    router.route().handler(ctx -> ApiError.send(ctx.response(), 404, "not_found", "no such resource: " + ctx.request().method() + " " + ctx.request().path(), null));
    router.route().failureHandler(new ErrorHandler());
    return router;
  }
}
