package io.junction.http;

import io.junction.observability.RequestContext;
import io.junction.observability.Traceparent;
import io.junction.observability.Tracing;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * First handler on both listeners: accepts a sane X-Request-Id or makes one, returns it, and takes the trace
 * id from a valid W3C traceparent (or starts a trace); with tracing on, the ids are those of Vert.x's server span. Both go on the request context, so logs carry them.
 */
public final class RequestIds implements Handler<RoutingContext> {
  public static final String HEADER = "X-Request-Id";
  public static final String TRACEPARENT = "traceparent";
  private static final int MAX_LENGTH = 128;

  @Override
  public void handle(RoutingContext ctx) {
    // The gateway may have established the ids already, before handing an unmatched request to the router.
    RequestContext existing = RequestContext.current();
    RequestContext rc = existing != null ? existing : establish(ctx.request());
    ctx.put(RequestContext.class.getName(), rc);
    ctx.next();
  }

  /** Also used outside vertx-web (the gateway's raw request path). */
  public static RequestContext establish(HttpServerRequest request) {
    String id = request.getHeader(HEADER);
    if (!acceptable(id)) {
      id = randomId();
    }
    RequestContext rc;
    SpanContext span = Tracing.currentSpan();
    if (span != null) {
      // tracing on: Vert.x made this request's server span (a malformed traceparent started a new trace)
      rc = new RequestContext(id, span.getTraceId(), span.getSpanId());
    } else {
      // tracing on but this request sampled out: the trace id the sampler judged; tracing off: the caller's
      String traceId = Tracing.unsampledTraceId();
      if (traceId == null) {
        traceId = Traceparent.traceId(request.getHeader(TRACEPARENT));
      }
      if (traceId == null) {
        traceId = Traceparent.newTraceId();
      }
      rc = new RequestContext(id, traceId, Traceparent.newSpanId());
    }
    rc.attach();
    request.response().putHeader(HEADER, id);
    return rc;
  }

  /**
   * The ids of a request the gateway relays without a Vert.x request (tracing is off there): the client's
   * X-Request-Id when sane, else a new one; the trace of its traceparent, else a new trace. Attached to the
   * current context; the caller returns the request id on the response.
   */
  public static RequestContext establish(String requestId, String traceparent) {
    String id = acceptable(requestId) ? requestId : randomId();
    String traceId = Traceparent.traceId(traceparent);
    RequestContext rc = new RequestContext(id, traceId == null ? Traceparent.newTraceId() : traceId, Traceparent.newSpanId());
    rc.attach();
    return rc;
  }

  /**
   * A random UUID (version 4 layout) from ThreadLocalRandom: request ids need uniqueness, not secrecy, and
   * UUID.randomUUID's SecureRandom is a contended lock on the hot path.
   */
  static String randomId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long hi = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long lo = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(hi, lo).toString();
  }

  /** Printable ASCII without spaces or separators that could split a log line or a header. */
  static boolean acceptable(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-' && c != '_' && c != '.' && c != ':' && c != '/' && c != '+' && c != '=') {
        return false;
      }
    }
    return true;
  }
}
