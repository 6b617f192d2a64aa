package io.junction.gateway;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The gateway module's public face to the HTTP module: handles a public-listener request that matches a
 * route, or passes it on ({@code ctx.next()}) so the listener answers 404.
 */
public interface Gateway extends Handler<RoutingContext> {
}
