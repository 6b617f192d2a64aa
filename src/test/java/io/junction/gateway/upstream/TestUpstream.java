package io.junction.gateway.upstream;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP upstream on a random loopback port. {@code /health} answers {@link #healthStatus}
 * (after {@link #healthDelayMillis}); anything else answers {@link #status} with the upstream's name.
 */
final class TestUpstream implements AutoCloseable {
  final String name;
  volatile int status = 200;
  volatile int healthStatus = 200;
  volatile long healthDelayMillis;
  final AtomicInteger probes = new AtomicInteger();
  final AtomicInteger requests = new AtomicInteger();
  private final Vertx vertx;
  private HttpServer server;

  private TestUpstream(Vertx vertx, String name) {
    this.vertx = vertx;
    this.name = name;
  }

  static TestUpstream start(Vertx vertx, String name) throws Exception {
    TestUpstream upstream = new TestUpstream(vertx, name);
    upstream.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> {
          if (request.path().equals("/health")) {
            upstream.probes.incrementAndGet();
            int code = upstream.healthStatus;
            long delay = upstream.healthDelayMillis;
            if (delay > 0) {
              vertx.setTimer(delay, t -> request.response().setStatusCode(code).end("health"));
            } else {
              request.response().setStatusCode(code).end("health");
            }
          } else {
            upstream.requests.incrementAndGet();
            request.response().setStatusCode(upstream.status).end(upstream.name);
          }
        })
        .listen()
        .await(5, TimeUnit.SECONDS);
    return upstream;
  }

  int port() {
    return server.actualPort();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() throws Exception {
    server.close().await(5, TimeUnit.SECONDS);
  }
}
