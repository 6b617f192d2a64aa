package io.junction.gateway.filter.basic;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.Relayable;
import io.junction.gateway.filter.RequestRewrite;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ItemDefinition;
import io.vertx.core.Future;
import java.util.List;

/** {@code PreserveHostHeader}: the upstream gets the client's Host header instead of its own host:port. */
public final class PreserveHostHeaderFilter implements Relayable, RequestRewrite {

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    rewrite(exchange);
    return chain.next(exchange);
  }

  @Override
  public boolean rewrite(Target target) {
    target.setPreserveHost(true);
    return true;
  }

  @Override
  public String toString() {
    return "PreserveHostHeader";
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "PreserveHostHeader";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of();
    }

    @Override
    public GatewayFilter create(ItemDefinition definition, FilterContext context) throws DefinitionException {
      if (!definition.args().isEmpty()) {
        throw new DefinitionException("PreserveHostHeader takes no arguments but got " + definition.args().values());
      }
      return create(Args.of(name(), definition.args()), context);
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) {
      return new PreserveHostHeaderFilter();
    }
  }
}
