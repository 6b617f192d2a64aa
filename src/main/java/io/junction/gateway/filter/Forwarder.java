package io.junction.gateway.filter;

import io.vertx.core.Future;

/**
 * Re-dispatches an exchange inside the gateway to another path, as if the client had asked for it
 * ({@code forward:/fallback} of CircuitBreaker): the route table is matched again and that route serves it.
 */
@FunctionalInterface
public interface Forwarder {
  Future<Void> forward(Exchange exchange, String path);
}
