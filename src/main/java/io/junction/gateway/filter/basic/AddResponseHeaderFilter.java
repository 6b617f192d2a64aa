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
import io.vertx.core.MultiMap;
import java.util.List;

/**
 * {@code AddResponseHeader=X-Response-Red, Blue-{segment}[, override]}: adds a header line to the response.
 * With {@code override=false} it is added only when the response has no non-blank value for it. The value
 * is expanded when the request arrives, since URI variables are request data.
 */
public final class AddResponseHeaderFilter implements Relayable {

  private final String name;
  private final Template value;
  private final boolean override;

  AddResponseHeaderFilter(String name, Template value, boolean override) {
    this.name = name;
    this.value = value;
    this.override = override;
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    String expanded = value.expand(exchange);
    if (expanded == null) {
      return value.fail(exchange, "AddResponseHeader");
    }
    exchange.beforeResponse(ex -> {
      MultiMap headers = ex.responseHeaders();
      if (override || missingOrBlank(headers)) {
        headers.add(name, expanded);
      }
    });
    return chain.next(exchange);
  }

  private boolean missingOrBlank(MultiMap headers) {
    for (String existing : headers.getAll(name)) {
      if (!existing.isBlank()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "AddResponseHeader " + name + ": " + value + (override ? "" : " (if absent)");
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "AddResponseHeader";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("name", "value", "override");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      return new AddResponseHeaderFilter(Headers.name(args, "name"), Headers.value(args, "value"),
          args.bool("override", true));
    }
  }
}
