package io.junction.gateway.proxy;

import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.Relayable;
import io.junction.gateway.route.Route;
import io.junction.gateway.route.RouteMatch;
import io.junction.gateway.route.path.PathNormalizer;
import io.junction.gateway.upstream.Instance;
import io.junction.gateway.upstream.Service;
import io.junction.identity.view.IdentityView;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

import java.net.InetAddress;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The direct relay of one HTTP verticle: installs a {@link DirectRelay} in each HTTP/1.x connection of the
 * public listener and decides, per request, whether it is relayed on Netty directly or served by the Vert.x
 * proxy ({@link ProxyHandler}). Relayed: HTTP/1.1, no Upgrade or Expect, tracing off (on: no relay), a route whose filters are
 * all {@link Relayable} and whose upstream is plain HTTP. Everything else, including requests no route serves,
 * goes to Vert.x unchanged. Why: Vert.x's request, response, client and future objects cost about as much CPU
 * per request as the relay itself (see bench/README.md); the relay keeps the same routes, filters, errors,
 * meters and logs.
 */
public final class DirectRelays implements Handler<HttpConnection> {
  private static final String HANDLER = "junction-relay";
  private final VertxInternal vertx;
  private final Supplier<GatewaySnapshot> snapshot;
  private final ProxyMeters meters;
  private final boolean accessLog;
  private final IdentityView identity;
  private final Set<String> reservedPaths;
  private final int maxHeaderSize;
  private UpstreamPool pool;

  /**
   * @param reservedPaths paths the listener serves itself (platform endpoints): never relayed
   * @param maxHeaderSize largest upstream response head accepted, in bytes
   */
  public DirectRelays(Vertx vertx, Supplier<GatewaySnapshot> snapshot, ProxyMeters meters, boolean accessLog, IdentityView identity,
                      Set<String> reservedPaths, int maxHeaderSize) {
    this.vertx = (VertxInternal) vertx;
    this.snapshot = snapshot;
    this.meters = meters;
    this.accessLog = accessLog;
    this.identity = identity;
    this.reservedPaths = reservedPaths;
    this.maxHeaderSize = maxHeaderSize;
  }

  /** A new connection of the public listener: HTTP/1.x ones get a relay (HTTP/2 stays with Vert.x). */
  @Override
  public void handle(HttpConnection connection) {
    // with tracing on, every request takes Vert.x's path: its server and client spans are the trace
    if (connection instanceof Http1xServerConnection http1 && http1.context().tracer() == null
      && http1.channelHandlerContext().pipeline().get("handler") != null) {
      if (pool == null) {
        pool = new UpstreamPool(http1.context().nettyEventLoop(), vertx.transport().channelFactory(false),
          vertx.nameResolver().nettyAddressResolverGroup(), 256, 10_000, 60, maxHeaderSize);
      }
      http1.channelHandlerContext().pipeline().addBefore("handler", HANDLER, new DirectRelay(this, http1.context()));
    }
  }

  ProxyMeters meters() {
    return meters;
  }

  boolean accessLog() {
    return accessLog;
  }

  UpstreamPool pool() {
    return pool;
  }

  /** The call that relays this request, or null when Vert.x should serve it. */
  RelayCall start(DirectRelay conn, HttpRequest request, ContextInternal connectionContext) {
    if (!request.decoderResult().isSuccess() || request.protocolVersion() != HttpVersion.HTTP_1_1) {
      return null;
    }
    HttpHeaders headers = request.headers();
    if (headers.contains(HttpHeaderNames.UPGRADE) || headers.contains(HttpHeaderNames.EXPECT)
      || (headers.contains(HttpHeaderNames.CONTENT_LENGTH) && headers.contains(HttpHeaderNames.TRANSFER_ENCODING))) {
      return null;
    }
    String uri = request.uri();
    if (uri.isEmpty() || uri.charAt(0) != '/') {
      return null; // absolute-form or asterisk-form: Vert.x's parsing
    }
    int q = uri.indexOf('?');
    String rawPath = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? null : uri.substring(q + 1);
    if (rawPath.indexOf('#') >= 0 || reservedPaths.contains(rawPath)) {
      return null;
    }
    String path = PathNormalizer.normalize(rawPath);
    if (path == null) {
      return null; // Vert.x's path answers the 400
    }
    GatewaySnapshot current = snapshot.get();
    RelayInbound inbound = new RelayInbound(request, query, conn.clientHost());
    InboundRouteRequest routeRequest = new InboundRouteRequest(inbound, headers.get(HttpHeaderNames.HOST), path, current.trustedProxies(), identity);
    RouteMatch match = current.table().find(routeRequest);
    if (match == null || !relayable(current, match.route(), path)) {
      return null;
    }
    String clientAddress = null;
    if (!current.trustedProxies().isEmpty()) {
      InetAddress address = routeRequest.remoteAddress();
      clientAddress = address == null ? null : address.getHostAddress();
    }
    return new RelayCall(this, conn, inbound, rawPath, path, current, match, clientAddress, connectionContext.duplicate());
  }

  /** A plain-HTTP upstream (fixed or every instance of the service) and only relayable filters. */
  private static boolean relayable(GatewaySnapshot snapshot, Route route, String path) {
    for (GatewayFilter filter : snapshot.filters(route.id(), path)) {
      if (!(filter instanceof Relayable)) {
        return false;
      }
    }
    if (route.serviceName() == null) {
      return "http".equalsIgnoreCase(route.uri().getScheme());
    }
    if (!(snapshot.upstreams() instanceof RouteUpstreams ru) || !(ru.services() instanceof RegistryServices rs)) {
      return false;
    }
    Service service = rs.registry().get(route.serviceName());
    if (service == null) {
      return false; // the Vert.x path answers its 503
    }
    for (Instance instance : service.instances()) {
      if (instance.ssl()) {
        return false;
      }
    }
    return true;
  }
}
