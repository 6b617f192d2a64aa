package io.junction.gateway;

import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.auth.JwksSources;
import io.junction.gateway.proxy.ProxyHandler;
import io.junction.gateway.proxy.RegistryServices;
import io.junction.gateway.upstream.ServiceRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's own validation as a public face for the config module: the {@code gateway} and {@code services}
 * sections are parsed and every route, predicate, filter and {@code lb://} reference is built exactly as a reload
 * would build them, without starting anything (no health checks, no listener, no snapshot swap). A config this
 * check accepts is one the gateway will not refuse.
 */
public final class GatewayConfigCheck {
  private GatewayConfigCheck() {
  }

  /**
   * @param vertx what filters that need timers or clients are built with (nothing is started on it)
   * @param jwks  the external JWKS cache filters may register with (a check may start the first fetch of a new
   *              jwksUri, which a reload would do anyway)
   * @return one line per problem, naming the key ({@code gateway.routes[1].filters[0] (route 'users'): ...});
   *         empty when the gateway would accept the sections
   */
  public static List<String> problems(Vertx vertx, JwksSources jwks, JsonObject gateway, JsonObject services) {
    JsonObject svc = services == null ? new JsonObject() : services;
    ServiceRegistry.Result upstreams = ServiceRegistry.build(svc);
    List<String> problems = new ArrayList<>(upstreams.problems());
    // Meters of the throwaway filters go to a registry nobody scrapes.
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    GatewayBuilder.Result built = new GatewayBuilder().build(gateway == null ? new JsonObject() : gateway, svc.fieldNames(),
      upstreams.registry() == null ? null : new RegistryServices(upstreams.registry()),
      routeId -> new FilterContext(vertx, meters, routeId, null, ProxyHandler.FORWARDER, null, jwks));
    problems.addAll(built.problems());
    meters.close();
    return problems;
  }
}
