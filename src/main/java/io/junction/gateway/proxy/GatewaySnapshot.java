package io.junction.gateway.proxy;

import io.junction.gateway.filter.GatewayFilter;
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
                              UpstreamTls upstreamTls) {
  private static final GatewayFilter[] NONE = new GatewayFilter[0];

  public GatewayFilter[] filters(String routeId) {
    GatewayFilter[] chain = chains.get(routeId);
    return chain == null ? NONE : chain;
  }
}
