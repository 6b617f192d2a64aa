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

/**
 * {@code RemoveRequestParameter=red}: every {@code red} query parameter (decoded name, case-sensitive) is
 * left out of the request sent upstream; the rest of the query keeps its order.
 */
public final class RemoveRequestParameterFilter implements Relayable {

  private final String name;

  public RemoveRequestParameterFilter(String name) {
    this.name = name;
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    exchange.query().remove(name);
    return chain.next(exchange);
  }

  @Override
  public String toString() {
    return "RemoveRequestParameter " + name;
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "RemoveRequestParameter";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("name");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      return new RemoveRequestParameterFilter(args.requiredString("name"));
    }
  }
}
