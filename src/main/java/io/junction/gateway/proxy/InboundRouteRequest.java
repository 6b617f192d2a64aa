package io.junction.gateway.proxy;

import io.junction.gateway.filter.Inbound;
import io.junction.gateway.filter.QueryParams;
import io.junction.gateway.route.net.CidrBlock;
import io.junction.gateway.route.net.IpAddresses;
import io.junction.gateway.route.predicate.RouteRequest;
import io.junction.identity.view.IdentityView;
import io.junction.identity.view.TokenRejectedException;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/** The predicates' view of a client request: the normalised path, headers, query, cookies, peer address. */
final class InboundRouteRequest implements RouteRequest {
  private final Inbound request;
  private final String host;
  private final String path;
  private final List<CidrBlock> trustedProxies;
  private final IdentityView identity;
  private Map<String, Object> claims;
  private boolean claimsResolved;
  private QueryParams query;

  /** @param host the Host header of HTTP/1.x, or the :authority of HTTP/2 */
  InboundRouteRequest(Inbound request, String host, String path, List<CidrBlock> trustedProxies, IdentityView identity) {
    this.request = request;
    this.host = host;
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
    String method = request.method();
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
    return host;
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
    return request.cookies(name);
  }

  /**
   * The client's address: the connection's peer, unless the peer is a trusted proxy — then the right-most
   * X-Forwarded-For entry that is not itself a trusted proxy (entries left of it could be forged by the client).
   */
  @Override
  public InetAddress remoteAddress() {
    String peer = request.remoteHost();
    InetAddress address = peer == null ? null : IpAddresses.parseLiteral(peer);
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
      String token = identity == null ? null : IdentityView.bearerToken(request.headers().get("Authorization"));
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
