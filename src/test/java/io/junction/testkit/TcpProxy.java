package io.junction.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP forwarder in front of a real server, which a test can cut (close every connection and refuse
 * new ones) and restore: a dependency going down and coming back, without stopping the shared server.
 */
public final class TcpProxy implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private final int targetPort;
  private final int port;
  private volatile boolean cut;
  private NetServer server;

  public TcpProxy(int targetPort) throws Exception {
    this.targetPort = targetPort;
    this.port = FreePorts.next();
    listen();
  }

  public int port() {
    return port;
  }

  private void listen() throws Exception {
    server = vertx.createNetServer().connectHandler(this::forward);
    server.listen(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  private void forward(NetSocket in) {
    if (cut) {
      in.close();
      return;
    }
    in.pause();
    vertx.createNetClient().connect(targetPort, "127.0.0.1").onComplete(ar -> {
      if (ar.failed()) {
        in.close();
        return;
      }
      NetSocket out = ar.result();
      open.add(in);
      open.add(out);
      in.handler(out::write);
      out.handler(in::write);
      in.closeHandler(v -> out.close());
      out.closeHandler(v -> in.close());
      in.resume();
    });
  }

  /** Drops every connection and stops listening: clients now get "connection refused". */
  public void cut() throws Exception {
    cut = true;
    server.close().await(10, TimeUnit.SECONDS);
    open.forEach(NetSocket::close);
    open.clear();
  }

  public void restore() throws Exception {
    cut = false;
    listen();
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
