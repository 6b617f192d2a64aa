package io.junction.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * One line per request on logger {@code junction.access} (so it can be routed or silenced on its own), written
 * when the response ends: listener, method, path, status, bytes, duration, and for proxied requests the route, the
 * upstream instance and the time spent in upstream calls ({@code upstreamMs}). JSON output gets them as fields.
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
      ctx.addEndHandler(ar -> log(listener, request, start));
    }
    ctx.next();
  }

  /** One access-log line of a request that is not proxied (the admin listener, the gateway's own endpoints). */
  public static void log(String listener, HttpServerRequest request, long startNanos) {
    log(listener, request, startNanos, null, null, -1);
  }

  /**
   * One access-log line; route, upstream and upstream time are given for proxied requests. {@code upstreamNanos}
   * is the time spent in upstream calls (from sending the request to the end of the relayed response, summed
   * over retries), or negative when no upstream was called (a filter answered, or the route has no upstream
   * call): then {@code upstreamMs} is null.
   */
  public static void log(String listener, HttpServerRequest request, long startNanos, String route, String upstream,
                         long upstreamNanos) {
    if (LOG.isInfoEnabled()) {
      log(listener, request.method().name(), request.path(), request.response().getStatusCode(), request.response().bytesWritten(),
        startNanos, route, upstream, upstreamNanos);
    }
  }

  /** The same from plain facts (the gateway's direct relay has no Vert.x request). */
  public static void log(String listener, String method, String path, int status, long bytes, long startNanos, String route,
                         String upstream, long upstreamNanos) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    double ms = (System.nanoTime() - startNanos) / 1_000_000.0;
    if (route == null) {
      LOG.info("{} {} {} {} {} {}", kv("listener", listener), kv("method", method), kv("path", path), kv("status", status),
        kv("bytes", bytes), kv("durationMs", Math.round(ms * 100) / 100.0));
    } else {
      Double upstreamMs = upstreamNanos < 0 ? null : Math.round(upstreamNanos / 10_000.0) / 100.0;
      LOG.info("{} {} {} {} {} {} {} {} {}", kv("listener", listener), kv("method", method), kv("path", path), kv("route", route),
        kv("upstream", upstream), kv("status", status), kv("bytes", bytes), kv("durationMs", Math.round(ms * 100) / 100.0),
        kv("upstreamMs", upstreamMs));
    }
  }
}
