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
import io.vertx.openapi.contract.Path;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the public listener serves besides gateway routes: the platform endpoints of the auth contract
 * (/auth/login, /auth/refresh, /auth/logout, /.well-known/jwks.json), then a JSON 404 for requests no gateway
 * route matched.
 */
public final class PlatformRouter {
  private PlatformRouter() {
  }

  /** The exact paths of the auth contract: requests for them skip the gateway (a set lookup per request). */
  public static Set<String> paths(LoadedContract contract) {
    return contract.contract().getPaths().stream().map(Path::getName).collect(Collectors.toUnmodifiableSet());
  }

  /** @throws ContractException when the contract and the wired handlers disagree */
  public static Router create(Vertx vertx, JsonObject http, HttpWiring wiring, LoadedContract contract) {
    Set<String> paths = paths(contract);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(http.getLong("maxBodySize", 10485760L));
    ContractRouter builder = new ContractRouter(vertx, contract)
      .apis(wiring.authApi() == null ? List.of() : List.of(wiring.authApi()))
      .rootHandler(new RequestIds());
    if (http.getBoolean("accessLog", true)) {
      builder.rootHandler(new AccessLog("public"));
    }
    builder.rootHandler(ctx -> {
      if (paths.contains(ctx.request().path())) {
        body.handle(ctx);
      } else {
        ctx.next();
      }
    });
    Router router = builder.build();
    UnmatchedRequests unmatched = new UnmatchedRequests(contract.contract());
    router.route().handler(ctx -> {
      if (paths.contains(ctx.request().path())) {
        unmatched.handle(ctx);
      } else {
        ApiError.send(ctx.response(), 404, "not_found", "no route matches " + ctx.request().method() + " " + ctx.request().path(), null);
      }
    });
    router.route().failureHandler(new ErrorHandler());
    return router;
  }
}
