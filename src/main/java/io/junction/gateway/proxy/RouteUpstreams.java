package io.junction.gateway.proxy;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.route.Route;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Targets by route: fixed http(s)://host:port URIs are resolved once per config; lb://service routes ask the
 * service's load balancer on each request.
 */
public final class RouteUpstreams implements Upstreams {
  /** Load-balanced services, by name: picks an instance for an exchange and hears how the call went. */
  public interface Services {
    Target pick(String service, Exchange exchange);

    void done(Target target, boolean success);
  }

  private final Map<String, Target> fixed = new HashMap<>();
  private final Services services;

  public RouteUpstreams(List<Route> routes, Services services) {
    this.services = services;
    for (Route route : routes) {
      if (route.serviceName() == null && isHttp(route.uri())) {
        fixed.put(route.id(), of(route.uri()));
      }
    }
  }

  private static boolean isHttp(URI uri) {
    return "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
  }

  static Target of(URI uri) {
    boolean ssl = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    String host = uri.getHost();
    if (host != null && host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Target(host, port, ssl, null);
  }

  /** The load-balanced services (null when the config has none). */
  public Services services() {
    return services;
  }

  @Override
  public Target pick(Exchange exchange) {
    Route route = exchange.route();
    String service = route.serviceName();
    return service != null ? services.pick(service, exchange) : fixed.get(route.id());
  }

  @Override
  public void done(Target target, boolean success) {
    if (target.lease() != null) {
      services.done(target, success);
    }
  }
}
