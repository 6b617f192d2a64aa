package io.junction.gateway.proxy;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.Forwarder;
import io.junction.gateway.filter.UpstreamException;
import io.junction.gateway.filter.UpstreamStatusException;
import io.junction.gateway.route.RouteMatch;
import io.junction.gateway.route.path.PathNormalizer;
import io.junction.http.AccessLog;
import io.junction.http.ApiError;
import io.junction.http.RequestIds;
import io.junction.identity.view.IdentityView;
import io.junction.observability.RequestContext;
import io.junction.observability.Traceparent;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The gateway's hot path, one per HTTP verticle (its own upstream client on its own event loop): normalise the
 * path, match a route on the current snapshot, run the route's filters, call the upstream. Requests that match
 * no route go to the listener's fallback (a JSON 404, or platform endpoints).
 */
public final class ProxyHandler implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);
  private static final String SELF = ProxyHandler.class.getName();
  /** forward:/path for filters: re-dispatched by the handler that is serving the exchange. */
  public static final Forwarder FORWARDER = (exchange, path) -> ((ProxyHandler) exchange.attributes().get(SELF)).forward(exchange, path);

  private final Supplier<GatewaySnapshot> snapshot;
  private final UpstreamCall upstream;
  private final Handler<HttpServerRequest> fallback;
  private final boolean accessLog;
  private final IdentityView identity;

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
    VertxRouteRequest routeRequest = new VertxRouteRequest(request, path, current.trustedProxies(), identity);
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
    headers.set(RequestIds.TRACEPARENT, Traceparent.format(ids.traceId(), ids.spanId()));
    Exchange exchange = new Exchange(request, match.route(), match.variables(), ids, path, headers);
    exchange.attributes().put(SELF, this);
    if (!current.trustedProxies().isEmpty() && routeRequest.remoteAddress() != null) {
      exchange.setClientAddress(routeRequest.remoteAddress().getHostAddress());
    }
    if (accessLog) {
      request.response().endHandler(v -> AccessLog.log("public", request, start, match.route().id(), upstreamOf(exchange)));
    }
    dispatch(current, exchange);
  }

  /** Serves the exchange's request again as if it had asked for path (the route table is matched anew). */
  Future<Void> forward(Exchange from, String path) {
    GatewaySnapshot current = snapshot.get();
    HttpServerRequest request = from.request();
    String normal = PathNormalizer.normalize(path);
    RouteMatch match = normal == null ? null : current.table().find(new VertxRouteRequest(request, normal, current.trustedProxies(), identity));
    if (match == null) {
      return from.error(404, "not_found", "forward target " + path + " matches no route");
    }
    Exchange exchange = from.forwardTo(match.route(), match.variables(), normal);
    return FilterChains.run(current.filters(match.route().id(), normal), upstream.terminal(current), exchange);
  }

  private void dispatch(GatewaySnapshot current, Exchange exchange) {
    FilterChain terminal = upstream.terminal(current);
    FilterChains.run(current.filters(exchange.route().id(), exchange.path()), terminal, exchange).onComplete(ar -> {
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
    });
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
