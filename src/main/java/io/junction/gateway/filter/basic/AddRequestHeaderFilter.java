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
 * {@code AddRequestHeader=X-Request-Red, Blue-{segment}}: adds a header line to the request sent upstream,
 * keeping any the client sent. The value may use URI variables captured by Path and Host predicates.
 */
public final class AddRequestHeaderFilter implements Relayable {

  private final String name;
  private final Template value;

  AddRequestHeaderFilter(String name, Template value) {
    this.name = name;
    this.value = value;
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    String expanded = value.expand(exchange);
    if (expanded == null) {
      return value.fail(exchange, "AddRequestHeader");
    }
    exchange.requestHeaders().add(name, expanded);
    return chain.next(exchange);
  }

  @Override
  public String toString() {
    return "AddRequestHeader " + name + ": " + value;
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "AddRequestHeader";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("name", "value");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      return new AddRequestHeaderFilter(Headers.name(args, "name"), Headers.value(args, "value"));
    }
  }
}
