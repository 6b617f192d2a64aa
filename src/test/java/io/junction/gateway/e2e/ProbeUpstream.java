package io.junction.gateway.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream for what TestUpstream's echo cannot show. Every path answers the echo JSON (method, path, uri,
 * query, body) with {@code headers} mapping each lower-cased request header name to the list of all its lines,
 * in order. Query parameters steer the response: each {@code rh=Name:Value} adds one response header line,
 * {@code status=N} sets the status, and {@code fail=N&key=K} answers 503 (still with the echo) to the first N
 * requests of key K.
 */
final class ProbeUpstream implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

  ProbeUpstream() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  int port() {
    return server.actualPort();
  }

  int requests() {
    return requests.get();
  }

  /** A query parameter asking for one response header line: {@code rh(Name, Value)}, encoded. */
  static String rh(String name, String value) {
    return "rh=" + URLEncoder.encode(name + ":" + value, StandardCharsets.UTF_8);
  }

  private void handle(HttpServerRequest req) {
    requests.incrementAndGet();
    req.body().onSuccess(body -> {
      JsonObject headers = new JsonObject();
      req.headers().forEach(e -> {
        String name = e.getKey().toLowerCase(Locale.ROOT);
        JsonArray values = headers.getJsonArray(name);
        if (values == null) {
          values = new JsonArray();
          headers.put(name, values);
        }
        values.add(e.getValue());
      });
      var response = req.response();
      for (String directive : req.params().getAll("rh")) {
        int colon = directive.indexOf(':');
        response.headers().add(directive.substring(0, colon), directive.substring(colon + 1));
      }
      String status = req.getParam("status");
      if (status != null) {
        response.setStatusCode(Integer.parseInt(status));
      }
      JsonObject echo = new JsonObject().put("method", req.method().name()).put("path", req.path())
        .put("uri", req.uri()).put("query", req.query()).put("headers", headers).put("body", body.toString());
      String fail = req.getParam("fail");
      if (fail != null) {
        int n = attempts.computeIfAbsent(req.getParam("key", ""), k -> new AtomicInteger()).incrementAndGet();
        echo.put("attempt", n);
        if (n <= Integer.parseInt(fail)) {
          response.setStatusCode(503);
        }
      }
      response.putHeader("Content-Type", "application/json").end(echo.encode());
    });
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
