package io.junction.gateway;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

import java.util.Set;

/** The gateway module's public face to the HTTP module. */
public interface Gateway {
  /**
   * The public listener's request handler for one HTTP verticle (call it from that verticle's start, so its
   * upstream connections live on that verticle's event loop). Requests that match no route go to fallback.
   */
  Handler<HttpServerRequest> publicHandler(Vertx vertx, Handler<HttpServerRequest> fallback, boolean accessLog);

  /**
   * The public listener's connection handler for the same verticle (http.directRelay): puts the direct relay in
   * each HTTP/1.x connection, which serves plain HTTP/1.1 requests of routes with relayable filters without
   * Vert.x's request objects; the rest reach {@link #publicHandler}'s handler as before.
   *
   * @param reservedPaths paths the listener serves itself (never relayed)
   * @param maxHeaderSize largest upstream response head accepted, in bytes
   * @return null when this gateway has no relay (every request goes to the request handler)
   */
  default Handler<HttpConnection> directRelay(Vertx vertx, Set<String> reservedPaths, boolean accessLog, int maxHeaderSize) {
    return null;
  }
}
