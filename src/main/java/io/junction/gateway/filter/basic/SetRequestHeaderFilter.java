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
 * {@code SetRequestHeader=X-Request-Red, Blue-{segment}}: replaces every value of the header sent upstream
 * with this one (adds it when the client sent none). The value may use URI variables.
 */
public final class SetRequestHeaderFilter implements Relayable {

  private final String name;
  private final Template value;

  SetRequestHeaderFilter(String name, Template value) {
    this.name = name;
    this.value = value;
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    String expanded = value.expand(exchange);
    if (expanded == null) {
      return value.fail(exchange, "SetRequestHeader");
    }
    exchange.requestHeaders().set(name, expanded);
    return chain.next(exchange);
  }

  @Override
  public String toString() {
    return "SetRequestHeader " + name + ": " + value;
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "SetRequestHeader";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("name", "value");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      return new SetRequestHeaderFilter(Headers.name(args, "name"), Headers.value(args, "value"));
    }
  }
}
