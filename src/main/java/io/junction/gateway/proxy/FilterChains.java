package io.junction.gateway.proxy;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.GatewayFilter;
import io.vertx.core.Future;

/** Runs a route's filters in order, then the upstream call. */
final class FilterChains {
  private FilterChains() {
  }

  static Future<Void> run(GatewayFilter[] filters, FilterChain upstream, Exchange exchange) {
    return filters.length == 0 ? upstream.next(exchange) : new Step(filters, 0, upstream).next(exchange);
  }

  private record Step(GatewayFilter[] filters, int index, FilterChain upstream) implements FilterChain {
    @Override
    public Future<Void> next(Exchange exchange) {
      if (index >= filters.length) {
        return upstream.next(exchange);
      }
      FilterChain rest = index + 1 < filters.length ? new Step(filters, index + 1, upstream) : upstream;
      try {
        return filters[index].filter(exchange, rest);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
  }
}
