package io.junction.gateway.proxy;

import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.web.CorsFilter;
import io.junction.gateway.filter.web.GlobalCors;
import io.junction.gateway.route.RouteTable;
import io.junction.gateway.route.net.CidrBlock;

import java.util.List;
import java.util.Map;

/**
 * Everything the hot path reads, built once per config off the hot path and swapped whole: the route table,
 * each route's compiled filter chain (default filters first), the upstream picker, the client settings, and
 * the proxies whose X-Forwarded-For is believed when predicates ask for the client's address.
 */
public record GatewaySnapshot(RouteTable table, Map<String, GatewayFilter[]> chains, Upstreams upstreams,
                              long connectTimeoutMs, long responseTimeoutMs, List<CidrBlock> trustedProxies,
                              UpstreamTls upstreamTls, GlobalCors globalCors) {
  private static final GatewayFilter[] NONE = new GatewayFilter[0];

  public GatewayFilter[] filters(String routeId) {
    GatewayFilter[] chain = chains.get(routeId);
    return chain == null ? NONE : chain;
  }

  /**
   * The route's chain for a request to this path: global CORS (gateway.globalcors) goes first unless the route
   * has its own Cors filter, which wins, as in Spring.
   */
  public GatewayFilter[] filters(String routeId, String path) {
    GatewayFilter[] chain = filters(routeId);
    if (globalCors.isEmpty()) {
      return chain;
    }
    GatewayFilter global = globalCors.filterFor(path);
    if (global == null) {
      return chain;
    }
    for (GatewayFilter f : chain) {
      if (f instanceof CorsFilter) {
        return chain;
      }
    }
    GatewayFilter[] withCors = new GatewayFilter[chain.length + 1];
    withCors[0] = global;
    System.arraycopy(chain, 0, withCors, 1, chain.length);
    return withCors;
  }
}
