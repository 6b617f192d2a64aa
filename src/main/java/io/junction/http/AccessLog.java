package io.junction.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * One line per request on logger {@code junction.access} (so it can be routed or silenced on its own), written
 * when the response ends: listener, method, path, status, bytes, duration. JSON output gets them as fields.
 */
public final class AccessLog implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger("junction.access");
  private static final String LOGGED = AccessLog.class.getName();
  private final String listener;

  public AccessLog(String listener) {
    this.listener = listener;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.get(LOGGED) == null) {
      ctx.put(LOGGED, Boolean.TRUE);
      long start = System.nanoTime();
      HttpServerRequest request = ctx.request();
      ctx.addEndHandler(ar -> log(listener, request, start, null, null));
    }
    ctx.next();
  }

  /** One access-log line; route and upstream are given for proxied requests. */
  public static void log(String listener, HttpServerRequest request, long startNanos, String route, String upstream) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    double ms = (System.nanoTime() - startNanos) / 1_000_000.0;
    if (route == null) {
      LOG.info("{} {} {} {} {} {}", kv("listener", listener), kv("method", request.method().name()),
        kv("path", request.path()), kv("status", request.response().getStatusCode()),
        kv("bytes", request.response().bytesWritten()), kv("durationMs", Math.round(ms * 100) / 100.0));
    } else {
      LOG.info("{} {} {} {} {} {} {} {}", kv("listener", listener), kv("method", request.method().name()),
        kv("path", request.path()), kv("route", route), kv("upstream", upstream), kv("status", request.response().getStatusCode()),
        kv("bytes", request.response().bytesWritten()), kv("durationMs", Math.round(ms * 100) / 100.0));
    }
  }
}
