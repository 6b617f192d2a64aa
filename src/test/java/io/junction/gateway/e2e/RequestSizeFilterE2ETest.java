package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** RequestSize through a running Junction: announced bodies and chunked (unannounced) ones. */
class RequestSizeFilterE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("size");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: shortcut
            uri: %1$s
            predicates: [ "Path=/echo/small/**" ]
            filters: [ "RequestSize=1KB" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/echo/medium/**" ]
            filters:
              - name: RequestSize
                args: { maxSize: 2000 }
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  private static HttpResponse<String> post(String path, String body) {
    return JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri(path))
      .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /** A body of unknown length: java.net.http sends it chunked, with no Content-Length. */
  private static HttpResponse<String> postChunked(String path, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri(path))
      .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build());
  }

  private static void assert413(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("payload_too_large");
  }

  @Test
  void aBodyAtTheLimitPasses() {
    HttpResponse<String> r = post("/echo/small/x", "x".repeat(1024));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getString("body")).hasSize(1024);
  }

  @Test
  void anAnnouncedBodyOverTheLimitIs413WithoutCallingTheUpstream() {
    int before = upstream.requests();
    HttpResponse<String> r = post("/echo/small/x", "x".repeat(1025));
    assert413(r);
    assertThat(new JsonObject(r.body()).getString("message")).contains("1025 bytes", "1024 bytes");
    assertThat(upstream.requests()).isEqualTo(before);
  }

  @Test
  void aChunkedBodyUnderTheLimitIsForwarded() {
    HttpResponse<String> r = postChunked("/echo/small/x", "y".repeat(900));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject echo = new JsonObject(r.body());
    assertThat(echo.getString("body")).isEqualTo("y".repeat(900));
  }

  @Test
  void aChunkedBodyOverTheLimitIs413() {
    assert413(postChunked("/echo/small/x", "z".repeat(64 * 1024)));
    assert413(postChunked("/echo/medium/x", "z".repeat(5000)));
    assertThat(kit.get("/echo/small/after").statusCode()).as("the gateway still serves").isEqualTo(200);
  }

  @Test
  void expandedFormInPlainBytes() {
    assertThat(post("/echo/medium/x", "x".repeat(2000)).statusCode()).isEqualTo(200);
    assert413(post("/echo/medium/x", "x".repeat(2001)));
  }

  @Test
  void withExpectContinueAnAnnouncedBodyOverTheLimitIsRefusedBeforeItIsSent() throws IOException {
    assertThat(RawHttp.expectContinue(kit.publicPort(), "/echo/small/x", 5000, 3000)).isEqualTo(413);
  }

  @Test
  void withExpectContinueABodyUnderTheLimitIsInvitedAtOnce() throws IOException {
    // RFC 9110 §10.1.1: a server MUST answer 100-continue at once, with 100 or a final status; clients that
    // honour it otherwise stall (curl for 1 s, java.net.http forever)
    assertThat(RawHttp.expectContinue(kit.publicPort(), "/echo/small/x", 100, 2000)).isEqualTo(100_200);
  }
}
