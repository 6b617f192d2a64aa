package io.junction.gateway.filter;

import io.vertx.core.Future;

/**
 * One step of a route's filter chain (Spring Cloud Gateway's GatewayFilter, on Vert.x futures). A filter
 * changes the outgoing request, then calls {@code chain.next(exchange)}; or answers itself (short-circuit)
 * and does not call it; or wraps the rest of the chain (Retry calls it again, CircuitBreaker guards it).
 * Changes to the response headers go in {@link Exchange#beforeResponse}, which runs just before the response
 * head is written. Filters are built once per config and shared by every request: keep them immutable.
 */
@FunctionalInterface
public interface GatewayFilter {
  Future<Void> filter(Exchange exchange, FilterChain chain);
}
