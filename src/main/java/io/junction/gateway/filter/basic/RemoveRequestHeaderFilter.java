package io.junction.gateway.filter.basic;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.Relayable;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.vertx.core.Future;
import java.util.List;

/** {@code RemoveRequestHeader=X-Request-Foo}: the header (any case, every line) is not sent upstream. */
public final class RemoveRequestHeaderFilter implements Relayable {

  private final String name;

  public RemoveRequestHeaderFilter(String name) {
    this.name = name;
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    exchange.requestHeaders().remove(name);
    return chain.next(exchange);
  }

  @Override
  public String toString() {
    return "RemoveRequestHeader " + name;
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "RemoveRequestHeader";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("name");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      return new RemoveRequestHeaderFilter(Headers.name(args, "name"));
    }
  }
}
