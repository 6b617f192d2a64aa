package io.junction.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP upstream on a random loopback port, with behaviours a gateway must cope with:
 * {@code /echo/**} answers JSON describing the request it got (method, path, query, headers, body);
 * {@code /slow?ms=N} answers after N ms; {@code /status/N} answers status N; {@code /hang} never answers;
 * WebSocket upgrades on any path greet with {@code hello <path> from <name>} and echo text and binary messages;
 * {@code /flaky?fail=N&key=K} answers 503 to the first N requests of key K, then 200;
 * {@code /broken} sends part of a declared body then closes the connection; {@code /big?kb=N} streams N KiB.
 */
public final class TestUpstream implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final java.util.Map<String, AtomicInteger> flaky = new java.util.concurrent.ConcurrentHashMap<>();
  private final String name;

  public TestUpstream() throws Exception {
    this("upstream");
  }

  public TestUpstream(String name) throws Exception {
    this.name = name;
    server = vertx.createHttpServer().requestHandler(this::handle).webSocketHandler(ws -> {
      requests.incrementAndGet();
      ws.writeTextMessage("hello " + ws.path() + (ws.query() == null ? "" : "?" + ws.query()) + " from " + name);
      ws.textMessageHandler(text -> ws.writeTextMessage("echo " + text));
      ws.binaryMessageHandler(ws::writeBinaryMessage);
      ws.closeHandler(v -> { });
    });
    server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  public int port() {
    return server.actualPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public int requests() {
    return requests.get();
  }

  private void handle(HttpServerRequest req) {
    requests.incrementAndGet();
    String path = req.path();
    if (path.startsWith("/slow")) {
      long ms = Long.parseLong(req.getParam("ms", "1000"));
      req.body().onSuccess(b -> vertx.setTimer(ms, t -> req.response().putHeader("X-Upstream", name).end("slow " + ms)));
    } else if (path.startsWith("/status/")) {
      int status = Integer.parseInt(path.substring("/status/".length()));
      req.body().onSuccess(b -> req.response().setStatusCode(status).putHeader("X-Upstream", name).end("status " + status));
    } else if (path.startsWith("/flaky")) {
      // the first `fail` requests for a key answer 503, then 200
      int fail = Integer.parseInt(req.getParam("fail", "1"));
      int n = flaky.computeIfAbsent(req.getParam("key", ""), k -> new AtomicInteger()).incrementAndGet();
      req.body().onSuccess(b -> req.response().setStatusCode(n <= fail ? 503 : 200).end("attempt " + n));
    } else if (path.startsWith("/hang")) {
      req.body(); // read and never answer
    } else if (path.startsWith("/broken")) {
      req.response().putHeader("Content-Length", "1000").write("partial");
      vertx.setTimer(50, t -> req.connection().close());
    } else if (path.startsWith("/big")) {
      int kb = Integer.parseInt(req.getParam("kb", "1024"));
      req.response().setChunked(true);
      Buffer chunk = Buffer.buffer(new byte[1024]);
      for (int i = 0; i < kb; i++) {
        req.response().write(chunk);
      }
      req.response().end();
    } else {
      req.body().onSuccess(body -> {
        JsonObject headers = new JsonObject();
        req.headers().forEach(e -> headers.put(e.getKey().toLowerCase(), e.getValue()));
        JsonObject echo = new JsonObject().put("upstream", name).put("method", req.method().name()).put("path", path)
          .put("uri", req.uri()).put("query", req.query()).put("headers", headers).put("body", body.toString());
        req.response().putHeader("Content-Type", "application/json").putHeader("X-Upstream", name)
          .putHeader("Connection", "keep-alive").putHeader("Keep-Alive", "timeout=5").end(echo.encode());
      });
    }
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
