package io.junction.gateway.proxy;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.Forwarder;
import io.junction.gateway.filter.UpstreamException;
import io.junction.gateway.filter.UpstreamStatusException;
import io.junction.gateway.filter.VertxInbound;
import io.junction.gateway.route.RouteMatch;
import io.junction.gateway.route.path.PathNormalizer;
import io.junction.http.AccessLog;
import io.junction.http.ApiError;
import io.junction.http.RequestIds;
import io.junction.identity.view.IdentityView;
import io.junction.observability.RequestContext;
import io.junction.observability.Traceparent;
import io.junction.observability.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The gateway's hot path, one per HTTP verticle (its own upstream client on its own event loop): normalise the
 * path, match a route on the current snapshot, run the route's filters, call the upstream. Requests that match
 * no route go to the listener's fallback (a JSON 404, or platform endpoints).
 */
public final class ProxyHandler implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);
  private static final String SELF = ProxyHandler.class.getName();
  private static final String TRACESTATE = "tracestate";
  private static final AttributeKey<String> ROUTE_ATTRIBUTE = AttributeKey.stringKey("junction.route");
  /** forward:/path for filters: re-dispatched by the handler that is serving the exchange. */
  public static final Forwarder FORWARDER = (exchange, path) -> {
    Object self = exchange.attributes().get(SELF);
    return (self instanceof Finish f ? f.owner() : (ProxyHandler) self).forward(exchange, path);
  };

  private final Supplier<GatewaySnapshot> snapshot;
  private final UpstreamCall upstream;
  private final Handler<HttpServerRequest> fallback;
  private final boolean accessLog;
  private final IdentityView identity;
  private final ProxyMeters meters;

  public ProxyHandler(Supplier<GatewaySnapshot> snapshot, UpstreamCall upstream, Handler<HttpServerRequest> fallback, boolean accessLog) {
    this(snapshot, upstream, fallback, accessLog, null);
  }

  /** @param identity what JwtClaim predicates verify a request's bearer token against (null: they never match) */
  public ProxyHandler(Supplier<GatewaySnapshot> snapshot, UpstreamCall upstream, Handler<HttpServerRequest> fallback, boolean accessLog,
                      IdentityView identity) {
    this.snapshot = snapshot;
    this.upstream = upstream;
    this.fallback = fallback;
    this.accessLog = accessLog;
    this.identity = identity;
    this.meters = upstream.meters();
  }

  @Override
  public void handle(HttpServerRequest request) {
    long start = System.nanoTime();
    RequestContext ids = RequestIds.establish(request);
    if (request.headers().contains("Content-Length") && request.headers().contains("Transfer-Encoding")) {
      // RFC 9112 §6.3: ambiguous framing is how requests are smuggled past proxies; refuse it outright.
      request.response().putHeader("Connection", "close");
      ApiError.send(request.response(), 400, "invalid_request", "both Content-Length and Transfer-Encoding are present", null);
      return;
    }
    String path = PathNormalizer.normalize(request.path());
    if (path == null) {
      ApiError.send(request.response(), 400, "invalid_request", "bad request path: " + PathNormalizer.rejectionReason(request.path()), null);
      return;
    }
    GatewaySnapshot current = snapshot.get();
    InboundRouteRequest routeRequest = new InboundRouteRequest(new VertxInbound(request), ForwardHeaders.hostOf(request), path,
      current.trustedProxies(), identity);
    RouteMatch match = current.table().find(routeRequest);
    if (match == null) {
      GatewayFilter cors = isPreflight(request) ? current.globalCors().filterFor(path) : null;
      if (cors != null) {
        // a preflight for a path no route serves is still answered by the global CORS policy
        cors.filter(new Exchange(request, null, Map.of(), ids, path, ForwardHeaders.endToEnd(request.headers())),
          ex -> ex.error(404, "not_found", "no route matches " + request.method() + " " + request.path()));
        return;
      }
      fallback.handle(request);
      return;
    }
    request.pause();
    MultiMap headers = ForwardHeaders.endToEnd(request.headers());
    ForwardHeaders.addForwarded(request, headers);
    headers.set(RequestIds.HEADER, ids.requestId());
    if (Tracing.active()) {
      // Vert.x's client span injects the traceparent of this trace into the upstream request
      headers.remove(RequestIds.TRACEPARENT);
      headers.remove(TRACESTATE);
      nameSpan(request, match.route().id());
    } else {
      headers.set(RequestIds.TRACEPARENT, Traceparent.format(ids.traceId(), ids.spanId()));
    }
    Exchange exchange = new Exchange(request, match.route(), match.variables(), ids, path, headers);
    if (!current.trustedProxies().isEmpty() && routeRequest.remoteAddress() != null) {
      exchange.setClientAddress(routeRequest.remoteAddress().getHostAddress());
    }
    Finish finish = meters != null || accessLog ? new Finish(request, exchange, start, meters == null ? null : meters.route(match.route())) : null;
    // the Finish (which knows this handler) when there is one, so upstream calls can add their time to it
    exchange.attributes().put(SELF, finish != null ? finish : this);
    if (finish != null) {
      request.response().endHandler(finish);
      if (meters != null && !WebSocketRelay.isUpgrade(request)) {
        meters.begin();
        finish.counted = true;
        request.response().closeHandler(v -> finish(finish, true));
      }
    }
    dispatch(current, exchange, finish);
  }

  /** Named after the route rather than the bare method, and tagged with it (only when the span records). */
  private static void nameSpan(HttpServerRequest request, String routeId) {
    Span span = Span.current();
    if (span.isRecording()) {
      span.updateName(request.method().name() + " " + routeId);
      span.setAttribute(ROUTE_ATTRIBUTE, routeId);
    }
  }

  /**
   * The end of one matched request, run once: when the response ends, or when the connection closes first
   * (the client went away). Records the request timer and writes the access-log line.
   */
  private final class Finish implements Handler<Void> {
    private final HttpServerRequest request;
    private final Exchange exchange;
    private final long start;
    private final ProxyMeters.RouteMeters route;
    private ProxyMeters.Outcome failure;
    private boolean counted;
    private boolean done;
    /** Time of the upstream calls that have ended (summed over Retry's attempts), -1 while none has. */
    private long upstreamNanos = -1;
    /** When the upstream call in flight started; meaningful while {@link #upstreamInFlight}. */
    private long upstreamStart;
    private boolean upstreamInFlight;

    Finish(HttpServerRequest request, Exchange exchange, long start, ProxyMeters.RouteMeters route) {
      this.request = request;
      this.exchange = exchange;
      this.start = start;
      this.route = route;
    }

    @Override
    public void handle(Void v) {
      finish(this, false);
    }

    ProxyHandler owner() {
      return ProxyHandler.this;
    }

    /** Upstream time for the access log: the ended calls, plus the one still relaying its body, if any. */
    long upstreamNanos(long now) {
      if (!upstreamInFlight) {
        return upstreamNanos;
      }
      return Math.max(0, upstreamNanos) + (now - upstreamStart);
    }
  }

  /** An upstream call of the exchange's request starts (at {@code nanoTime}); no-op outside a handled request. */
  static void upstreamStarted(Exchange exchange, long nanoTime) {
    if (exchange.attributes().get(SELF) instanceof Finish f) {
      f.upstreamStart = nanoTime;
      f.upstreamInFlight = true;
    }
  }

  /** The upstream call that started at {@code startNanos} ended after {@code nanos}. */
  static void upstreamEnded(Exchange exchange, long startNanos, long nanos) {
    if (exchange.attributes().get(SELF) instanceof Finish f && !f.done) {
      f.upstreamNanos = Math.max(0, f.upstreamNanos) + nanos;
      if (f.upstreamInFlight && f.upstreamStart == startNanos) {
        f.upstreamInFlight = false;
      }
    }
  }

  private void finish(Finish f, boolean closed) {
    if (f == null || f.done) {
      return;
    }
    f.done = true;
    HttpServerResponse response = f.request.response();
    int status = response.getStatusCode();
    long now = System.nanoTime();
    long nanos = now - f.start;
    if (f.counted) {
      meters.end();
    }
    if (f.route != null) {
      ProxyMeters.Outcome outcome = closed && !response.ended() ? ProxyMeters.Outcome.ABORTED
        : f.failure != null ? f.failure
        : status < 400 ? ProxyMeters.Outcome.SUCCESS
        : status < 500 ? ProxyMeters.Outcome.CLIENT_ERROR : ProxyMeters.Outcome.SERVER_ERROR;
      f.route.request(f.request.method(), status, outcome, nanos);
    }
    if (accessLog) {
      AccessLog.log("public", f.request, f.start, f.exchange.route().id(), upstreamOf(f.exchange), f.upstreamNanos(now));
    }
  }

  /** Serves the exchange's request again as if it had asked for path (the route table is matched anew). */
  Future<Void> forward(Exchange from, String path) {
    GatewaySnapshot current = snapshot.get();
    HttpServerRequest request = from.request();
    String normal = PathNormalizer.normalize(path);
    RouteMatch match = normal == null ? null : current.table().find(new InboundRouteRequest(from.inbound(), ForwardHeaders.hostOf(request),
      normal, current.trustedProxies(), identity));
    if (match == null) {
      return from.error(404, "not_found", "forward target " + path + " matches no route");
    }
    Exchange exchange = from.forwardTo(match.route(), match.variables(), normal);
    return FilterChains.run(current.filters(match.route().id(), normal), upstream.terminal(current), exchange);
  }

  private void dispatch(GatewaySnapshot current, Exchange exchange, Finish finish) {
    FilterChain terminal = upstream.terminal(current);
    FilterChains.run(current.filters(exchange.route().id(), exchange.path()), terminal, exchange).onComplete(ar -> settle(exchange, ar,
      failure -> {
        if (finish != null) {
          finish.failure = failure;
        }
      }));
  }

  /**
   * The end of a matched request's filter chain, on either engine: a failure nobody answered becomes the
   * client's error response (502, 504, or 500 for a filter's own fault). A failed upstream call first tells
   * {@code outcome} how the request's meters should count it (also when the response was already committed).
   */
  static void settle(Exchange exchange, AsyncResult<Void> ar, Consumer<ProxyMeters.Outcome> outcome) {
    if (ar.failed() && (ar.cause() instanceof UpstreamException || ar.cause() instanceof UpstreamStatusException)) {
      outcome.accept(ar.cause() instanceof UpstreamException u && u.status() == 504 ? ProxyMeters.Outcome.TIMEOUT
        : ProxyMeters.Outcome.UPSTREAM_ERROR);
    }
    if (ar.succeeded() || exchange.committed()) {
      if (ar.failed()) {
        LOG.debug("route {}: {}", exchange.route().id(), ar.cause().getMessage());
      }
      return;
    }
    Throwable cause = ar.cause();
    if (cause instanceof UpstreamException u) {
      LOG.warn("route {}: {}", exchange.route().id(), u.getMessage());
      exchange.error(u.status(), u.status() == 504 ? "upstream_timeout" : "bad_gateway", u.getMessage());
    } else if (cause instanceof UpstreamStatusException s) {
      exchange.error(502, "bad_gateway", "upstream answered " + s.status());
    } else {
      LOG.error("route {}: filter chain failed", exchange.route().id(), cause);
      exchange.error(500, "internal_error", "internal error; quote the request id when reporting it");
    }
  }

  private static boolean isPreflight(HttpServerRequest request) {
    return request.method() == io.vertx.core.http.HttpMethod.OPTIONS && request.headers().contains("Origin")
      && request.headers().contains("Access-Control-Request-Method");
  }

  private static String upstreamOf(Exchange exchange) {
    Object target = exchange.attributes().get(Target.class.getName());
    return target instanceof Target t ? t.authority() : null;
  }
}
