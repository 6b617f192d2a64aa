package io.junction.http.api;

import io.junction.http.AdminApi;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a contract and the code agree: every operation has exactly one handler, every handler has an
 * operation, and the built router serves nothing under the contract's prefix that the contract does not
 * describe. Junction checks it at start (and refuses to start on a mismatch); module tests call
 * {@link #problems(OpenAPIContract, Collection, Set)} and {@link #routesWithoutOperation(Router, String)} with
 * their real {@link AdminApi}s so a missing handler fails a test before it fails a deployment.
 */
public final class ContractDrift {
  private ContractDrift() {
  }

  /** The handlers for every operation, merged from the modules' APIs and the HTTP module's own. */
  public record Binding(Map<String, Handler<RoutingContext>> handlers, List<String> problems) {
  }

  /**
   * Binds handlers to operations. Problems: an operation with no handler, a
   * handler for an operationId the contract lacks, two handlers for one operation.
   */
  public static Binding bind(OpenAPIContract contract, Collection<AdminApi> apis, Map<String, Handler<RoutingContext>> own) {
    Map<String, Handler<RoutingContext>> handlers = new HashMap<>(own);
    Set<String> unknown = new TreeSet<>();
    Set<String> duplicate = new TreeSet<>();
    for (AdminApi api : apis) {
      for (Map.Entry<String, Handler<RoutingContext>> e : api.operations().entrySet()) {
        if (contract.operation(e.getKey()) == null) {
          unknown.add(e.getKey());
        } else if (handlers.putIfAbsent(e.getKey(), e.getValue()) != null) {
          duplicate.add(e.getKey());
        }
      }
    }
    Set<String> missing = new TreeSet<>();
    for (Operation op : contract.operations()) {
      if (!handlers.containsKey(op.getOperationId())) {
        missing.add(op.getOperationId());
      }
    }
    List<String> problems = new ArrayList<>();
    if (!missing.isEmpty()) {
      problems.add("operations without a handler: " + String.join(", ", missing));
    }
    if (!unknown.isEmpty()) {
      problems.add("handlers for operations the contract does not have: " + String.join(", ", unknown));
    }
    if (!duplicate.isEmpty()) {
      problems.add("operations with more than one handler: " + String.join(", ", duplicate));
    }
    return new Binding(handlers, problems);
  }

  /**
   * The check for module tests: problems of binding {@code apis} (plus the HTTP module's {@code own} operations)
   * to the contract. Empty when they agree.
   */
  public static List<String> problems(OpenAPIContract contract, Collection<AdminApi> apis, Set<String> own) {
    Map<String, Handler<RoutingContext>> served = new HashMap<>();
    own.forEach(id -> served.put(id, RoutingContext::next));
    return bind(contract, apis, served).problems();
  }

  /** Operation ids the HTTP module serves itself in the admin contract. */
  public static Set<String> servedByHttp() {
    return Set.of(ContractDocument.YAML_OPERATION, ContractDocument.JSON_OPERATION);
  }

  /** Routes of a built router under {@code prefix} with a method but no contract operation behind them. */
  public static List<String> routesWithoutOperation(Router router, String prefix) {
    List<String> out = new ArrayList<>();
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (path == null || !path.startsWith(prefix) || route.methods() == null || route.methods().isEmpty()) {
        continue;
      }
      Operation op = route.getMetadata(RouterBuilder.KEY_META_DATA_OPERATION);
      if (op == null || !route.methods().contains(op.getHttpMethod())) {
        out.add(route.methods() + " " + path);
      }
    }
    return out;
  }
}
