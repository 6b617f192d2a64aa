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
 * {@code AddRequestParameter=red, blue-{segment}}: appends {@code red=blue-…} to the query sent upstream,
 * keeping parameters of the same name. Name and value are taken as plain text and percent-encoded.
 */
public final class AddRequestParameterFilter implements Relayable {

  private final String name;
  private final Template value;

  AddRequestParameterFilter(String name, Template value) {
    this.name = name;
    this.value = value;
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    String expanded = value.expand(exchange);
    if (expanded == null) {
      return value.fail(exchange, "AddRequestParameter");
    }
    exchange.query().add(name, expanded);
    return chain.next(exchange);
  }

  @Override
  public String toString() {
    return "AddRequestParameter " + name + "=" + value;
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "AddRequestParameter";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("name", "value");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      return new AddRequestParameterFilter(args.requiredString("name"), Template.parse(args.requiredString("value")));
    }
  }
}
