package io.junction.gateway.filter;

import io.vertx.core.Future;

/**
 * The rest of the chain after a filter; its end is the upstream call. The future completes when the
 * response has been fully sent to the client, and fails with {@link UpstreamStatusException} when the
 * exchange asked to treat an upstream status as a failure (see {@link Exchange#failOnStatus}).
 */
@FunctionalInterface
public interface FilterChain {
  Future<Void> next(Exchange exchange);
}
