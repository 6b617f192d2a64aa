package io.junction.gateway.proxy;

import io.junction.gateway.filter.QueryParams;
import io.junction.gateway.route.net.CidrBlock;
import io.junction.gateway.route.net.IpAddresses;
import io.junction.gateway.route.predicate.RouteRequest;
import io.junction.identity.view.IdentityView;
import io.junction.identity.view.TokenRejectedException;
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
  private final List<CidrBlock> trustedProxies;
  private final IdentityView identity;
  private Map<String, Object> claims;
  private boolean claimsResolved;
  private QueryParams query;

  VertxRouteRequest(HttpServerRequest request, String path, List<CidrBlock> trustedProxies) {
    this(request, path, trustedProxies, null);
  }

  VertxRouteRequest(HttpServerRequest request, String path, List<CidrBlock> trustedProxies, IdentityView identity) {
    this.request = request;
    this.path = path;
    this.trustedProxies = trustedProxies;
    this.identity = identity;
  }

  void claims(Map<String, Object> claims) {
    this.claims = claims;
    this.claimsResolved = true;
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

  /** Parameter names are case-sensitive, as in Spring (Vert.x's params() would ignore case). */
  @Override
  public List<String> queryParams(String name) {
    if (query == null) {
      query = QueryParams.parse(request.query());
    }
    return query.getAll(name);
  }

  @Override
  public List<String> cookies(String name) {
    List<String> out = new ArrayList<>(1);
    for (Cookie c : request.cookies(name)) {
      out.add(c.getValue());
    }
    return out;
  }

  /**
   * The client's address: the connection's peer, unless the peer is a trusted proxy — then the right-most
   * X-Forwarded-For entry that is not itself a trusted proxy (entries left of it could be forged by the client).
   */
  @Override
  public InetAddress remoteAddress() {
    SocketAddress peer = request.remoteAddress();
    InetAddress address = peer == null || peer.hostAddress() == null ? null : IpAddresses.parseLiteral(peer.hostAddress());
    if (address == null || trustedProxies.isEmpty() || !trusted(address)) {
      return address;
    }
    List<String> forwarded = request.headers().getAll("X-Forwarded-For");
    for (int h = forwarded.size() - 1; h >= 0; h--) {
      String[] hops = forwarded.get(h).split(",");
      for (int i = hops.length - 1; i >= 0; i--) {
        InetAddress hop = IpAddresses.parseClient(hops[i].trim());
        if (hop == null) {
          return address; // unreadable entry: stop believing the header
        }
        if (!trusted(hop)) {
          return hop;
        }
        address = hop;
      }
    }
    return address;
  }

  private boolean trusted(InetAddress address) {
    for (CidrBlock block : trustedProxies) {
      if (block.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The claims of the request's bearer token when it is one of Junction's own and valid now; null otherwise.
   * Verified on first use only (a route table without JwtClaim predicates never pays for it), then remembered
   * for the rest of the match. Local: the identity view holds the keys.
   */
  @Override
  public Map<String, Object> claims() {
    if (!claimsResolved) {
      claimsResolved = true;
      String token = identity == null ? null : IdentityView.bearerToken(request.getHeader("Authorization"));
      if (token != null) {
        try {
          claims = identity.verify(token).claims();
        } catch (TokenRejectedException e) {
          claims = null;
        }
      }
    }
    return claims;
  }
}
