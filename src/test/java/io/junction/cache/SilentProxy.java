package io.junction.cache;

import io.junction.testkit.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;

import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP forwarder that can go silent: connections stay open but no byte passes either way, like a
 * hung server or a network partition without resets — the case where only timeouts help. (TcpProxy in the
 * test kit covers the other case: connections refused.)
 */
final class SilentProxy implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final int port = FreePorts.next();
  private volatile boolean silent;

  SilentProxy(int targetPort) throws Exception {
    vertx.createNetServer().connectHandler(in -> {
      in.pause();
      vertx.createNetClient().connect(targetPort, "127.0.0.1").onComplete(ar -> {
        if (ar.failed()) {
          in.close();
          return;
        }
        NetSocket out = ar.result();
        in.handler(b -> {
          if (!silent) {
            out.write(b);
          }
        });
        out.handler(b -> {
          if (!silent) {
            in.write(b);
          }
        });
        in.closeHandler(v -> out.close());
        out.closeHandler(v -> in.close());
        in.resume();
      });
    }).listen(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  int port() {
    return port;
  }

  void silence() {
    silent = true;
  }

  void speak() {
    silent = false;
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
