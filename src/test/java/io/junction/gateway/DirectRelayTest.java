package io.junction.gateway;

import io.junction.testkit.Eventually;
import io.junction.testkit.JunctionTestKit;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The direct relay (plain HTTP/1.1 requests of routes with relayable filters, served on Netty's objects) against
 * the Vert.x proxy: the same request gives the upstream and the client the same view on both engines; keep-alive
 * upstream connections; bodies both ways; pipelined requests answered in order across the two engines;
 * Connection: close, HEAD, 204 and 304 framing; a client that leaves mid-response; and the switch that turns it off.
 */
class DirectRelayTest {
  static Vertx vertx;
  static HttpServer upstream;
  /** Client ports of the upstream connections that carried /conn requests. */
  static final Set<Integer> relayedConnections = ConcurrentHashMap.newKeySet();
  static JunctionTestKit kit;
  /** Answers every request with bytes that are not HTTP. */
  static NetServer garbage;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = vertx.createHttpServer().requestHandler(DirectRelayTest::serve).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    garbage = vertx.createNetServer().connectHandler(so -> so.handler(b -> so.write("SSH-2.0-OpenSSH_9.2\r\n\r\n")))
      .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    String uri = "http://127.0.0.1:" + upstream.actualPort();
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: relayed
            uri: %1$s
            predicates: [ "Path=/r/**" ]
            filters: [ "StripPrefix=1", "AddRequestHeader=X-Added, yes", "AddResponseHeader=X-Resp, 1" ]
          - id: vertx
            uri: %1$s
            predicates: [ "Path=/v/**" ]
            # RequestSize needs the request body's stream: not relayable, so this route takes the Vert.x proxy
            filters: [ "StripPrefix=1", "AddRequestHeader=X-Added, yes", "AddResponseHeader=X-Resp, 1", "RequestSize=100MB" ]
          - id: garbage
            uri: http://127.0.0.1:%2$d
            predicates: [ "Path=/garbage/**" ]
      """.formatted(uri, garbage.actualPort())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static void serve(HttpServerRequest req) {
    String path = req.path();
    if (path.startsWith("/conn")) {
      relayedConnections.add(req.remoteAddress().port());
    }
    switch (path) {
      case "/head" -> req.response().putHeader("Content-Length", "5").end();
      case "/nocontent" -> req.response().setStatusCode(204).end();
      case "/notmodified" -> req.response().setStatusCode(304).putHeader("ETag", "\"v1\"").end();
      case "/big" -> {
        int kb = Integer.parseInt(req.getParam("kb"));
        req.response().setChunked(true);
        Buffer chunk = Buffer.buffer(new byte[1024]);
        for (int i = 0; i < kb; i++) {
          req.response().write(chunk);
        }
        req.response().end();
      }
      default -> req.body().onSuccess(body -> {
        JsonObject headers = new JsonObject();
        req.headers().forEach(e -> headers.put(e.getKey().toLowerCase(), e.getValue()));
        req.response().putHeader("Content-Type", "application/json").putHeader("X-Upstream-Header", "u")
          .putHeader("Keep-Alive", "timeout=5")
          .end(new JsonObject().put("method", req.method().name()).put("uri", req.uri()).put("headers", headers)
            .put("bodyLength", body.length()).put("bodyHash", Arrays.hashCode(body.getBytes())).encode());
      });
    }
  }

  private static double relayed() {
    return metric(kit, "junction_gateway_relayed_total");
  }

  /** A label-less meter's value from the node's /metrics. */
  private static double metric(JunctionTestKit node, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.eE+]+)$").matcher(node.admin("/metrics").body());
    assertThat(m.find()).as(name + " is exported").isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void bothEnginesGiveTheUpstreamAndTheClientTheSameView() {
    double before = relayed();
    Map<String, HttpResponse<String>> answers = new TreeMap<>();
    for (String engine : new String[] {"r", "v"}) {
      answers.put(engine, JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri("/" + engine + "/echo/a%20b?x=1&y=%C3%A9"))
        .header("X-Custom", "v").header("Cookie", "a=1").header("X-Forwarded-For", "203.0.113.9").build()));
    }
    assertThat(relayed() - before).as("only the /r request took the relay").isEqualTo(1.0);
    JsonObject relayedEcho = new JsonObject(answers.get("r").body());
    JsonObject vertxEcho = new JsonObject(answers.get("v").body());
    assertThat(relayedEcho.getString("uri")).isEqualTo("/echo/a%20b?x=1&y=%C3%A9").isEqualTo(vertxEcho.getString("uri"));
    JsonObject rh = relayedEcho.getJsonObject("headers");
    JsonObject vh = vertxEcho.getJsonObject("headers");
    for (String perRequest : new String[] {"x-request-id", "traceparent"}) {
      assertThat(rh.getString(perRequest)).isNotBlank();
      rh.remove(perRequest);
      vh.remove(perRequest);
    }
    assertThat(rh.getMap()).isEqualTo(vh.getMap());
    assertThat(rh.getString("x-added")).isEqualTo("yes");
    assertThat(rh.getString("x-forwarded-for")).isEqualTo("203.0.113.9, 127.0.0.1");

    Map<String, java.util.List<String>> relayedHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    relayedHeaders.putAll(answers.get("r").headers().map());
    Map<String, java.util.List<String>> vertxHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    vertxHeaders.putAll(answers.get("v").headers().map());
    assertThat(relayedHeaders.remove("x-request-id")).isNotNull();
    vertxHeaders.remove("x-request-id");
    assertThat(relayedHeaders).isEqualTo(vertxHeaders).containsKeys("x-resp", "x-upstream-header").doesNotContainKey("keep-alive");
  }

  @Test
  void upstreamConnectionsAreKeptAliveAndReused() {
    for (int i = 0; i < 50; i++) {
      assertThat(kit.get("/r/conn/" + i).statusCode()).isEqualTo(200);
    }
    assertThat(relayedConnections).as("50 sequential relayed requests on one upstream connection").hasSize(1);
  }

  @Test
  void bodiesStreamBothWaysWithAndWithoutALength() {
    byte[] body = new byte[3 * 1024 * 1024];
    new java.util.Random(7).nextBytes(body);
    for (boolean withLength : new boolean[] {true, false}) {
      HttpRequest.BodyPublisher publisher = withLength ? HttpRequest.BodyPublishers.ofByteArray(body)
        : HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)); // no length: sent chunked
      JsonObject echo = new JsonObject(JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri("/r/upload"))
        .POST(publisher).build()).body());
      assertThat(echo.getInteger("bodyLength")).isEqualTo(body.length);
      assertThat(echo.getInteger("bodyHash")).isEqualTo(Arrays.hashCode(body));
      assertThat(echo.getJsonObject("headers").containsKey(withLength ? "content-length" : "transfer-encoding")).isTrue();
    }
    HttpResponse<String> big = kit.get("/r/big?kb=4096");
    assertThat(big.statusCode()).isEqualTo(200);
    assertThat(big.body()).hasSize(4096 * 1024);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderWhicheverEngineServesThem() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", kit.publicPort())) {
      socket.setSoTimeout(10_000);
      String[] paths = {"/r/echo/1", "/nothing/2", "/v/echo/3", "/r/echo/4", "/r/big?kb=300", "/r/echo/6"};
      StringBuilder all = new StringBuilder();
      for (String p : paths) {
        all.append("GET ").append(p).append(" HTTP/1.1\r\nHost: t\r\n\r\n");
      }
      socket.getOutputStream().write(all.toString().getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      HttpReader in = new HttpReader(socket.getInputStream());
      assertThat(in.next().body()).contains("\"uri\":\"/echo/1\"");
      Reply notFound = in.next();
      assertThat(notFound.status()).isEqualTo(404);
      assertThat(notFound.body()).contains("/nothing/2");
      assertThat(in.next().body()).contains("\"uri\":\"/echo/3\"");
      assertThat(in.next().body()).contains("\"uri\":\"/echo/4\"");
      assertThat(in.next().body()).hasSize(300 * 1024);
      assertThat(in.next().body()).contains("\"uri\":\"/echo/6\"");
    }
  }

  @Test
  void connectionCloseIsHonouredAndHeadNoContentAndNotModifiedKeepTheFraming() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", kit.publicPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      HttpReader in = new HttpReader(socket.getInputStream());
      out.write("HEAD /r/head HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      Reply head = in.next(true);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.headers()).containsEntry("content-length", "5");
      out.write("GET /r/nocontent HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      Reply noContent = in.next();
      assertThat(noContent.status()).isEqualTo(204);
      assertThat(noContent.headers()).doesNotContainKey("transfer-encoding");
      out.write("GET /r/notmodified HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      Reply notModified = in.next(true);
      assertThat(notModified.status()).isEqualTo(304);
      assertThat(notModified.headers()).containsEntry("etag", "\"v1\"").doesNotContainKey("transfer-encoding");
      out.write("GET /r/echo/last HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      Reply last = in.next();
      assertThat(last.body()).contains("/echo/last");
      assertThat(last.headers()).containsEntry("connection", "close");
      assertThat(socket.getInputStream().read()).as("Junction closed the connection").isEqualTo(-1);
    }
  }

  @Test
  void aClientThatLeavesMidResponseFreesEverything() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", kit.publicPort())) {
      socket.getOutputStream().write("GET /r/big?kb=50000 HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.getInputStream().readNBytes(64 * 1024);
    }
    Eventually.until("no gateway request in flight", Duration.ofSeconds(10),
      () -> metric(kit, "junction_gateway_requests_active") == 0.0);
    assertThat(kit.get("/r/echo/after").statusCode()).isEqualTo(200);
  }

  @Test
  void aSlowClientHoldsTheUpstreamBackAndEveryConnectionGoesOnAfterwards() throws Exception {
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(8192);
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", kit.publicPort()));
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /r/big?kb=16384 HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      // read slowly at first, so the relay has to stop reading the upstream and start again
      for (int i = 0; i < 20; i++) {
        in.readNBytes(16 * 1024);
        Thread.sleep(10);
      }
      socket.getOutputStream().write("GET /r/echo/next HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] rest = in.readNBytes(16384 * 1024 - 20 * 16 * 1024); // the rest of the big body (and some of its framing)
      assertThat(rest).isNotEmpty();
      String tail = new String(in.readNBytes(in.available() > 0 ? in.available() : 1), StandardCharsets.ISO_8859_1);
      StringBuilder more = new StringBuilder(tail);
      while (!more.toString().contains("/echo/next")) {
        int c = in.read();
        assertThat(c).as("the next response on the same connection arrives").isNotEqualTo(-1);
        more.append((char) c);
      }
    }
    for (int i = 0; i < 5; i++) {
      assertThat(kit.get("/r/echo/pooled-" + i).statusCode()).as("pooled upstream connections still answer").isEqualTo(200);
    }
  }

  @Test
  void anUpstreamThatDoesNotSpeakHttpIsABadGateway() {
    HttpResponse<String> r = kit.get("/garbage/x");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("bad_gateway");
    assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
    assertThat(kit.get("/r/echo/still-fine").statusCode()).isEqualTo(200);
  }

  @Test
  void aRedisBackedRateLimitRunsOnTheRelay() {
    try (JunctionTestKit redisKit = JunctionTestKit.builder().yaml("""
      redis: { url: "%s" }
      gateway:
        routes:
          - id: limited
            uri: http://127.0.0.1:%d
            predicates: [ "Path=/l/**" ]
            filters:
              - StripPrefix=1
              - name: RequestRateLimiter
                args: { replenishRate: 1, burstCapacity: 3, keyResolver: "header:X-Key" }
      """.formatted(io.junction.testkit.TestRedis.url(), upstream.actualPort())).start()) {
      String key = "k-" + System.nanoTime();
      int ok = 0;
      int limited = 0;
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> r = JunctionTestKit.send(HttpRequest.newBuilder(redisKit.publicUri("/l/echo/" + i)).header("X-Key", key).build());
        assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
        if (r.statusCode() == 200) {
          ok++;
          assertThat(r.body()).contains("/echo/" + i);
          assertThat(r.headers().firstValue("X-RateLimit-Remaining")).isPresent();
        } else {
          assertThat(r.statusCode()).isEqualTo(429);
          assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("rate_limited");
          limited++;
        }
      }
      assertThat(ok).isEqualTo(3);
      assertThat(limited).isEqualTo(3);
      assertThat(metric(redisKit, "junction_gateway_relayed_total")).as("all six took the relay").isEqualTo(6.0);
    }
  }

  @Test
  void turnedOffEverythingTakesTheVertxProxy() {
    try (JunctionTestKit off = JunctionTestKit.builder().yaml("""
      http: { directRelay: false }
      gateway:
        routes:
          - id: relayed
            uri: http://127.0.0.1:%d
            predicates: [ "Path=/r/**" ]
            filters: [ "StripPrefix=1" ]
      """.formatted(upstream.actualPort())).start()) {
      assertThat(off.get("/r/echo/x").statusCode()).isEqualTo(200);
      assertThat(metric(off, "junction_gateway_relayed_total")).isZero();
    }
  }

  record Reply(int status, Map<String, String> headers, String body) {
  }

  /** Reads HTTP/1.1 responses one after another off a socket (Content-Length, chunked, or no body). */
  static final class HttpReader {
    private final InputStream in;

    HttpReader(InputStream in) {
      this.in = in;
    }

    Reply next() throws IOException {
      return next(false);
    }

    Reply next(boolean noBody) throws IOException {
      String statusLine = line();
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      Map<String, String> headers = new TreeMap<>();
      for (String h = line(); !h.isEmpty(); h = line()) {
        int colon = h.indexOf(':');
        headers.put(h.substring(0, colon).trim().toLowerCase(), h.substring(colon + 1).trim());
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (!noBody && status != 204 && status != 304) {
        if (headers.containsKey("content-length")) {
          body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equals(headers.get("transfer-encoding"))) {
          for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0; size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
            body.write(in.readNBytes(size));
            line();
          }
          while (!line().isEmpty()) {
            // trailers
          }
        }
      }
      return new Reply(status, headers, body.toString(StandardCharsets.ISO_8859_1));
    }

    private String line() throws IOException {
      StringBuilder sb = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        if (c != '\r') {
          sb.append((char) c);
        }
      }
      return sb.toString();
    }
  }
}
