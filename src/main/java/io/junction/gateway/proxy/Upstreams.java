package io.junction.gateway.proxy;

import io.junction.gateway.filter.Exchange;

/** Picks the target of an exchange (a fixed http(s) URI, or an instance of an lb:// service) and hears how it went. */
public interface Upstreams {
  /** The target for this exchange, or null when the route's service has no available instance (503). */
  Target pick(Exchange exchange);

  /** Called once per picked target when its call ends; success = a response below 500 that was fully relayed. */
  void done(Target target, boolean success);
}
