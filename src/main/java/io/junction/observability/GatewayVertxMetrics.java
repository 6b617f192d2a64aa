package io.junction.observability;

import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;

/**
 * Vert.x's meters, except the per-request and per-read/write ones of the gateway's public listener and of its
 * upstream client: those requests are measured once, per route, by the gateway's own meters
 * ({@code junction_gateway_*}), and the generic ones cost about a twentieth of the proxy's CPU per request (a
 * meter lookup per request, per read and per write). Connection counts of both stay. Everything else (the
 * admin listener, health-check and other clients, event bus, pools) is measured by Vert.x as usual.
 */
public final class GatewayVertxMetrics implements VertxMetrics {
  /** {@link HttpClientOptions#getName()} of the gateway's upstream clients. */
  public static final String UPSTREAM_CLIENT = "junction-upstream";
  private final VertxMetrics all;
  private final int gatewayPort;

  GatewayVertxMetrics(VertxMetrics all, int gatewayPort) {
    this.all = all;
    this.gatewayPort = gatewayPort;
  }

  @Override
  public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
    HttpServerMetrics<?, ?, ?> metrics = all.createHttpServerMetrics(options, localAddress);
    return metrics != null && gatewayPort > 0 && localAddress != null && localAddress.port() == gatewayPort
      ? new ConnectionsOnly<>(metrics) : metrics;
  }

  @Override
  public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
    HttpClientMetrics<?, ?, ?> metrics = all.createHttpClientMetrics(options);
    return metrics != null && UPSTREAM_CLIENT.equals(options.getName()) ? new ConnectionsOnly<>(metrics) : metrics;
  }

  @Override
  public EventBusMetrics createEventBusMetrics() {
    return all.createEventBusMetrics();
  }

  @Override
  public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
    return all.createClientMetrics(remoteAddress, type, namespace);
  }

  @Override
  public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
    return all.createNetServerMetrics(options, localAddress);
  }

  @Override
  public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
    return all.createNetClientMetrics(options);
  }

  @Override
  public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
    return all.createDatagramSocketMetrics(options);
  }

  @Override
  public PoolMetrics<?, ?> createPoolMetrics(String poolType, String poolName, int maxPoolSize) {
    return all.createPoolMetrics(poolType, poolName, maxPoolSize);
  }

  @Override
  public void vertxCreated(Vertx vertx) {
    all.vertxCreated(vertx);
  }

  @Override
  public boolean isMetricsEnabled() {
    return all.isMetricsEnabled();
  }

  @Override
  public void close() {
    all.close();
  }

  /**
   * Connection open/close only, for a server or a client: requests, bytes and WebSockets are left to the gateway's
   * meters.
   */
  private static final class ConnectionsOnly<S> implements HttpServerMetrics<Object, Object, S>, HttpClientMetrics<Object, Object, S> {
    private final TCPMetrics<S> all;

    @SuppressWarnings("unchecked")
    ConnectionsOnly(TCPMetrics<?> all) {
      this.all = (TCPMetrics<S>) all;
    }

    @Override
    public S connected(SocketAddress remoteAddress, String remoteName) {
      return all.connected(remoteAddress, remoteName);
    }

    @Override
    public void disconnected(S socketMetric, SocketAddress remoteAddress) {
      all.disconnected(socketMetric, remoteAddress);
    }

    @Override
    public void disconnected(Object webSocketMetric) {
      // WebSockets through the gateway are not measured by Vert.x
    }

    @Override
    public void close() {
      all.close();
    }
  }
}
