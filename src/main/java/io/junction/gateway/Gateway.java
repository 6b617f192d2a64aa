package io.junction.gateway;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/** The gateway module's public face to the HTTP module. */
public interface Gateway {
  /**
   * The public listener's request handler for one HTTP verticle (call it from that verticle's start, so its
   * upstream connections live on that verticle's event loop). Requests that match no route go to fallback.
   */
  Handler<HttpServerRequest> publicHandler(Vertx vertx, Handler<HttpServerRequest> fallback, boolean accessLog);
}
