package io.junction.gateway.proxy;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.upstream.HashOn;
import io.junction.gateway.upstream.Instance;
import io.junction.gateway.upstream.Service;
import io.junction.gateway.upstream.ServiceRegistry;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;

/** lb://service targets from the service registry: the balancer picks, the instance counts the call. */
public final class RegistryServices implements RouteUpstreams.Services {
  private final ServiceRegistry registry;

  public RegistryServices(ServiceRegistry registry) {
    this.registry = registry;
  }

  public ServiceRegistry registry() {
    return registry;
  }

  @Override
  public Target pick(String name, Exchange exchange) {
    Service service = registry.get(name);
    if (service == null) {
      return null;
    }
    Instance instance = service.choose(hashKey(service.hashOn(), exchange));
    if (instance == null) {
      return null;
    }
    instance.begin();
    return new Target(instance.host(), instance.port(), instance.ssl(), instance);
  }

  private static String hashKey(HashOn on, Exchange exchange) {
    if (on == null) {
      return null;
    }
    HttpServerRequest request = exchange.request();
    return switch (on.source()) {
      case HEADER -> request.getHeader(on.name());
      case COOKIE -> {
        Cookie cookie = request.getCookie(on.name());
        yield cookie == null ? null : cookie.getValue();
      }
      case IP -> exchange.clientAddress();
    };
  }

  @Override
  public void done(Target target, boolean success) {
    ((Instance) target.lease()).end(success);
  }
}
