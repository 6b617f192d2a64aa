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
 * {@code SetStatus=401} or {@code SetStatus=UNAUTHORIZED}: the response goes out with this status, whatever
 * answered (the upstream, or a filter or the proxy after this one). With {@code originalStatusHeaderName}
 * (Spring's global {@code set-status.original-status-header-name}, here per route) the status it replaced
 * is sent in that header, as a plain number.
 */
public final class SetStatusFilter implements Relayable {

  private final int status;
  private final String originalStatusHeader;

  public SetStatusFilter(int status, String originalStatusHeader) {
    this.status = status;
    this.originalStatusHeader = originalStatusHeader;
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    exchange.beforeResponse(ex -> {
      if (originalStatusHeader != null) {
        ex.responseHeaders().set(originalStatusHeader, Integer.toString(ex.responseStatus()));
      }
      ex.setResponseStatus(status);
    });
    return chain.next(exchange);
  }

  @Override
  public String toString() {
    return "SetStatus " + status;
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "SetStatus";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("status", "originalStatusHeaderName");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      int status = HttpStatuses.required(args, "status", 200, 599, "a final status from 200 to 599");
      String header = args.has("originalStatusHeaderName") ? Headers.name(args, "originalStatusHeaderName") : null;
      return new SetStatusFilter(status, header);
    }
  }
}
