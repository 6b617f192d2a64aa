package io.junction.gateway.filter;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

/**
 * What a filter factory may use when it builds a filter: Vert.x (timers, clients), the meter registry, the
 * id of the route the filter belongs to, Redis when {@code redis.url} is configured (else null), and the
 * gateway's forwarder for {@code forward:} URIs.
 */
public record FilterContext(Vertx vertx, MeterRegistry meters, String routeId, Redis redis, Forwarder forwarder) {
}
