package io.junction.gateway.proxy;

import io.junction.gateway.route.net.IpAddresses;
import io.junction.gateway.route.predicate.RouteRequest;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The predicates' view of a Vert.x request: the normalised path, headers, query, cookies, peer address. */
final class VertxRouteRequest implements RouteRequest {
  private final HttpServerRequest request;
  private final String path;
  private Map<String, Object> claims;

  VertxRouteRequest(HttpServerRequest request, String path) {
    this.request = request;
    this.path = path;
  }

  void claims(Map<String, Object> claims) {
    this.claims = claims;
  }

  /**
   * A CORS preflight (OPTIONS with Origin and Access-Control-Request-Method) is matched as the request it
   * announces, so the route that will serve it — and its Cors filter — answers the preflight.
   */
  @Override
  public String method() {
    String method = request.method().name();
    if ("OPTIONS".equals(method) && request.headers().contains("Origin")) {
      String announced = request.headers().get("Access-Control-Request-Method");
      if (announced != null && !announced.isBlank()) {
        return announced.trim();
      }
    }
    return method;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String host() {
    return ForwardHeaders.hostOf(request);
  }

  @Override
  public String header(String name) {
    return request.headers().get(name);
  }

  @Override
  public List<String> headers(String name) {
    return request.headers().getAll(name);
  }

  @Override
  public List<String> queryParams(String name) {
    return request.params().getAll(name);
  }

  @Override
  public List<String> cookies(String name) {
    List<String> out = new ArrayList<>(1);
    for (Cookie c : request.cookies(name)) {
      out.add(c.getValue());
    }
    return out;
  }

  @Override
  public InetAddress remoteAddress() {
    SocketAddress peer = request.remoteAddress();
    return peer == null || peer.hostAddress() == null ? null : IpAddresses.parseLiteral(peer.hostAddress());
  }

  @Override
  public Map<String, Object> claims() {
    return claims;
  }
}
