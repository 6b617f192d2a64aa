package io.junction.gateway.proxy;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.upstream.HashOn;
import io.junction.gateway.upstream.Instance;
import io.junction.gateway.upstream.Service;
import io.junction.gateway.upstream.ServiceRegistry;

import java.util.List;

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
    return switch (on.source()) {
      case HEADER -> exchange.inbound().headers().get(on.name());
      case COOKIE -> {
        List<String> values = exchange.inbound().cookies(on.name());
        yield values.isEmpty() ? null : values.get(0);
      }
      case IP -> exchange.clientAddress();
    };
  }

  @Override
  public void done(Target target, boolean success) {
    ((Instance) target.lease()).end(success);
  }
}
