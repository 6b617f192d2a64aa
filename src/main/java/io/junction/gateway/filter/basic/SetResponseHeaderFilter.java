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
 * {@code SetResponseHeader=X-Response-Red, Blue}: replaces every value of the response header with this
 * one (adds it when the upstream sent none). The value may use URI variables, expanded on the request.
 */
public final class SetResponseHeaderFilter implements Relayable {

  private final String name;
  private final Template value;

  SetResponseHeaderFilter(String name, Template value) {
    this.name = name;
    this.value = value;
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    String expanded = value.expand(exchange);
    if (expanded == null) {
      return value.fail(exchange, "SetResponseHeader");
    }
    exchange.beforeResponse(ex -> ex.responseHeaders().set(name, expanded));
    return chain.next(exchange);
  }

  @Override
  public String toString() {
    return "SetResponseHeader " + name + ": " + value;
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "SetResponseHeader";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("name", "value");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      return new SetResponseHeaderFilter(Headers.name(args, "name"), Headers.value(args, "value"));
    }
  }
}
