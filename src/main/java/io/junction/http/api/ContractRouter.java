package io.junction.http.api;

import io.junction.http.AdminApi;
import io.junction.http.AdminAudit;
import io.junction.http.AdminAuth;
import io.junction.http.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestValidator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a router from a contract with vertx-openapi's RouterBuilder. The library does the routing; each
 * operation then runs, in this order: {@link OperationGuard} (401, 403) when it has security, {@link RequestCheck}
 * (415, 400), the module's handler. The library's own security and validation are off, because it would
 * validate before authenticating and answer failures in its own format.
 */
public final class ContractRouter {
  private final Vertx vertx;
  private final LoadedContract loaded;
  private final List<Handler<RoutingContext>> rootHandlers = new ArrayList<>();
  private Collection<AdminApi> apis = List.of();
  private Map<String, Handler<RoutingContext>> own = Map.of();
  private AdminAuth auth;

  public ContractRouter(Vertx vertx, LoadedContract loaded) {
    this.vertx = vertx;
    this.loaded = loaded;
  }

  public ContractRouter apis(Collection<AdminApi> apis) {
    this.apis = apis;
    return this;
  }

  /** Operations the HTTP module serves itself. */
  public ContractRouter own(Map<String, Handler<RoutingContext>> own) {
    this.own = own;
    return this;
  }

  /** Needed when any operation has a security requirement. */
  public ContractRouter auth(AdminAuth auth) {
    this.auth = auth;
    return this;
  }

  /** Runs on every request the router sees, before routing (request ids, access log, body). */
  public ContractRouter rootHandler(Handler<RoutingContext> handler) {
    rootHandlers.add(handler);
    return this;
  }

  /** @throws ContractException naming the contract and each mismatch between it and the handlers */
  public Router build() {
    ContractDrift.Binding binding = ContractDrift.bind(loaded.contract(), apis, own);
    List<String> problems = new ArrayList<>(binding.problems());
    for (Operation op : loaded.contract().operations()) {
      boolean secured = !op.getSecurityRequirements().isEmpty();
      if (secured && auth == null) {
        problems.add("operation " + op.getOperationId() + " requires a token, but this listener authenticates no one");
      }
      if (!secured && permission(op) != null) {
        problems.add("operation " + op.getOperationId() + " has x-permission but no security requirement");
      }
    }
    if (!problems.isEmpty()) {
      throw new ContractException("API contract " + loaded.resource() + " does not match the code: " + String.join("; ", problems));
    }
    RouterBuilder builder = RouterBuilder.create(vertx, loaded.contract());
    rootHandlers.forEach(builder::rootHandler);
    RequestValidator validator = RequestValidator.create(vertx, loaded.contract());
    for (OpenAPIRoute route : builder.getRoutes()) {
      Operation op = route.getOperation();
      route.setDoSecurity(false).setDoValidation(false);
      String operationId = op.getOperationId();
      route.addHandler(ctx -> {
        ctx.put(AdminAudit.OPERATION_KEY, operationId);
        ctx.next();
      });
      if (!op.getSecurityRequirements().isEmpty()) {
        route.addHandler(new OperationGuard(auth, permission(op)));
      }
      route.addHandler(new RequestCheck(op, validator, declaredMediaTypes(op)));
      Handler<RoutingContext> handler = binding.handlers().get(op.getOperationId());
      route.addHandler(handler);
    }
    return builder.createRouter();
  }

  /** The request media types of an operation as the document declares them (the library knows only some). */
  private Set<String> declaredMediaTypes(Operation op) {
    Object content = loaded.json().getJsonObject("paths").getJsonObject(op.getOpenAPIPath())
      .getJsonObject(op.getHttpMethod().name().toLowerCase(java.util.Locale.ROOT)).getValue("requestBody");
    return content instanceof io.vertx.core.json.JsonObject body && body.getValue("content") instanceof io.vertx.core.json.JsonObject types
      ? types.fieldNames() : Set.of();
  }

  /** 404 or 405 for requests under the contract's paths that no operation took. */
  public static Handler<RoutingContext> unmatched(LoadedContract loaded) {
    return new UnmatchedRequests(loaded.contract());
  }

  static String permission(Operation op) {
    Object value = op.getExtensions().get("x-permission");
    return value instanceof String s && !s.isBlank() ? s : null;
  }
}
