package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;

import static io.junction.gateway.e2e.E2E.get;
import static org.assertj.core.api.Assertions.assertThat;

/** RequestHeaderSize through a running Junction: 431 when one header (name plus all its values) is too big. */
class RequestHeaderSizeFilterE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("hsize");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: shortcut
            uri: %1$s
            predicates: [ "Path=/echo/h/**" ]
            filters: [ "RequestHeaderSize=1000B" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/echo/strict/**" ]
            filters:
              - name: RequestHeaderSize
                args: { maxSize: 100, errorHeaderName: X-Error }
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  private static void assert431(HttpResponse<String> r, String header) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(431);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("error")).isEqualTo("header_too_large");
    assertThat(body.getString("message")).contains("'" + header + "'");
  }

  @Test
  void aHeaderAtTheLimitPassesOneByteMoreIs431() {
    // "X-Big" (5 bytes) + value
    assertThat(get(kit, "/echo/h/x", "X-Big", "v".repeat(995)).statusCode()).isEqualTo(200);
    int before = upstream.requests();
    assert431(get(kit, "/echo/h/x", "X-Big", "v".repeat(996)), "X-Big");
    assertThat(upstream.requests()).isEqualTo(before);
  }

  @Test
  void manySmallHeadersAreFineTheLimitIsPerHeader() {
    String[] headers = new String[20];
    for (int i = 0; i < 10; i++) {
      headers[2 * i] = "X-H" + i;
      headers[2 * i + 1] = "v".repeat(500);
    }
    assertThat(get(kit, "/echo/h/x", headers).statusCode()).isEqualTo(200);
  }

  @Test
  void onlyWhatTheClientSentIsCounted() throws IOException {
    // every header the client sends is under 100 bytes (the largest, Host, is 4 + 65); the Forwarded header
    // Junction itself adds for the upstream (9 + 97 bytes) is not the client's and must not earn it a 431
    RawHttp.Response r = RawHttp.get(kit.publicPort(), "/echo/strict/x", "Host: " + "h".repeat(60) + ".test");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  @Test
  void expandedFormCountsAllLinesOfAHeaderAndReportsInTheErrorHeader() throws IOException {
    RawHttp.Response r = RawHttp.get(kit.publicPort(), "/echo/strict/x", "X-Two: " + "a".repeat(50), "X-Two: " + "b".repeat(50));
    assertThat(r.status()).isEqualTo(431);
    assertThat(new JsonObject(r.body()).getString("message")).contains("'X-Two'", "105 bytes");
    assertThat(r.header("X-Error")).contains("'X-Two'", "105 bytes");
    assertThat(get(kit, "/echo/strict/x", "X-One", "a".repeat(50)).statusCode()).isEqualTo(200);
  }
}
