package io.junction.gateway.filter;

import io.junction.gateway.filter.auth.JwksSources;
import io.junction.identity.view.IdentityView;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

/**
 * What a filter factory may use when it builds a filter: Vert.x (timers, clients), the meter registry, the
 * id of the route the filter belongs to, Redis when {@code redis.url} is configured (else null), the
 * gateway's forwarder for {@code forward:} URIs, the identity view the auth filters check Junction's tokens
 * and API keys against (null when no identity module is wired), and the shared cache of external JWKS (null:
 * a filter that needs one makes its own).
 */
public record FilterContext(Vertx vertx, MeterRegistry meters, String routeId, Redis redis, Forwarder forwarder,
                            IdentityView identity, JwksSources jwks) {

  /** A context without identity: auth filters answer 503 for Junction's own tokens. */
  public FilterContext(Vertx vertx, MeterRegistry meters, String routeId, Redis redis, Forwarder forwarder) {
    this(vertx, meters, routeId, redis, forwarder, null, null);
  }
}
