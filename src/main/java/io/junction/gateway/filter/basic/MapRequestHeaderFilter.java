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
 * {@code MapRequestHeader=Blue, X-Request-Red}: copies every value of {@code Blue} into
 * {@code X-Request-Red}, after any values it already has. {@code Blue} is kept; nothing happens without it.
 */
public final class MapRequestHeaderFilter implements Relayable {

  private final String fromHeader;
  private final String toHeader;

  public MapRequestHeaderFilter(String fromHeader, String toHeader) {
    this.fromHeader = fromHeader;
    this.toHeader = toHeader;
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    List<String> values = exchange.requestHeaders().getAll(fromHeader);
    if (!values.isEmpty()) {
      exchange.requestHeaders().add(toHeader, values);
    }
    return chain.next(exchange);
  }

  @Override
  public String toString() {
    return "MapRequestHeader " + fromHeader + " -> " + toHeader;
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "MapRequestHeader";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("fromHeader", "toHeader");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      return new MapRequestHeaderFilter(Headers.name(args, "fromHeader"), Headers.name(args, "toHeader"));
    }
  }
}
