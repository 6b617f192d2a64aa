package io.junction.gateway.filter.web;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ShortcutType;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code Cors}: the route's CORS policy, enforced at the gateway as Spring's {@code DefaultCorsProcessor} does.
 * A preflight (OPTIONS with Origin and Access-Control-Request-Method) is answered here, 204 when allowed and 403
 * when not; an allowed cross-origin request gets the Access-Control-* response headers (the upstream's own are
 * replaced); a refused one gets 403 and never reaches the upstream. Requests without Origin, or from the
 * gateway's own origin, pass without CORS headers, only {@code Vary: Origin} (as Spring adds, so a shared cache
 * does not serve that answer to a cross-origin caller). Put it first in the chain, so nothing before it refuses
 * a preflight.
 */
public final class CorsFilter implements GatewayFilter {

  private final CorsPolicy policy;

  CorsFilter(CorsPolicy policy) {
    this.policy = policy;
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    HttpServerRequest request = exchange.request();
    String origin = request.getHeader("Origin");
    if (origin == null || sameOrigin(request, origin)) {
      // the answer would differ for a cross-origin caller: tell shared caches
      exchange.beforeResponse(ex -> CorsPolicy.varyOrigin(ex.responseHeaders()));
      return chain.next(exchange);
    }
    String requestedMethod = request.getHeader(CorsPolicy.REQUEST_METHOD);
    if (request.method() == HttpMethod.OPTIONS && requestedMethod != null) {
      return preflight(exchange, origin, requestedMethod.trim());
    }
    String allowOrigin = policy.allowOrigin(origin);
    if (allowOrigin == null) {
      return exchange.error(403, "forbidden", "CORS request refused: origin not allowed");
    }
    if (!policy.allowsMethod(request.method().name())) {
      return exchange.error(403, "forbidden", "CORS request refused: method not allowed");
    }
    exchange.beforeResponse(ex -> policy.applyToResponse(ex.responseHeaders(), allowOrigin));
    return chain.next(exchange);
  }

  private Future<Void> preflight(Exchange exchange, String origin, String method) {
    String allowOrigin = policy.allowOrigin(origin);
    if (allowOrigin == null) {
      return exchange.error(403, "forbidden", "CORS preflight refused: origin not allowed");
    }
    if (method.isEmpty() || !policy.allowsMethod(method)) {
      return exchange.error(403, "forbidden", "CORS preflight refused: method not allowed");
    }
    List<String> headers = requestedHeaders(exchange.request());
    if (!policy.allowsHeaders(headers)) {
      return exchange.error(403, "forbidden", "CORS preflight refused: header not allowed");
    }
    return exchange.respond(204, policy.preflightHeaders(allowOrigin, method, headers), null);
  }

  private static List<String> requestedHeaders(HttpServerRequest request) {
    List<String> out = new ArrayList<>();
    for (String line : request.headers().getAll(CorsPolicy.REQUEST_HEADERS)) {
      for (String name : line.split(",")) {
        if (!name.isBlank()) {
          out.add(name.trim());
        }
      }
    }
    return out;
  }

  /**
   * True when Origin names the gateway's own origin: scheme, host and port of the request as the client
   * addressed it (X-Forwarded-Proto/Host/Port first, as set by a load balancer in front).
   */
  static boolean sameOrigin(HttpServerRequest request, String origin) {
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      return false;
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      return false;
    }
    String scheme = first(request.getHeader("X-Forwarded-Proto"));
    if (scheme == null) {
      scheme = request.isSSL() ? "https" : "http";
    }
    String authority = first(request.getHeader("X-Forwarded-Host"));
    String forwardedPort = authority == null ? null : first(request.getHeader("X-Forwarded-Port"));
    if (authority == null) {
      authority = request.getHeader("Host");
      if (authority == null && request.authority() != null) {
        authority = request.authority().toString();
      }
    }
    if (authority == null || !uri.getScheme().equalsIgnoreCase(scheme)) {
      return false;
    }
    String host = authority;
    String port = forwardedPort;
    int colon = authority.lastIndexOf(':');
    if (colon > authority.lastIndexOf(']')) {
      host = authority.substring(0, colon);
      port = authority.substring(colon + 1);
    }
    int requestPort;
    try {
      requestPort = port == null ? defaultPort(scheme) : Integer.parseInt(port.trim());
    } catch (NumberFormatException e) {
      return false;
    }
    int originPort = uri.getPort() < 0 ? defaultPort(uri.getScheme()) : uri.getPort();
    return host.equalsIgnoreCase(uri.getHost()) && requestPort == originPort;
  }

  private static int defaultPort(String scheme) {
    return scheme.toLowerCase(Locale.ROOT).equals("https") ? 443 : 80;
  }

  private static String first(String header) {
    if (header == null) {
      return null;
    }
    int comma = header.indexOf(',');
    String value = (comma < 0 ? header : header.substring(0, comma)).trim();
    return value.isEmpty() ? null : value;
  }

  @Override
  public String toString() {
    return "Cors " + policy;
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "Cors";
    }

    /** The shortcut names only the origins ({@code Cors=https://a.com, https://b.com}); the rest needs args. */
    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("allowedOrigins");
    }

    @Override
    public ShortcutType shortcutType() {
      return ShortcutType.GATHER_LIST;
    }

    @Override
    public List<String> argNames() {
      return CorsPolicy.ARG_NAMES;
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      return new CorsFilter(CorsPolicy.from(args));
    }
  }
}
