package io.junction.gateway;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Global and per-route CORS, and LocalResponseCache, on real routes through Junction. */
class CorsAndCacheRouteTest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("c");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        globalcors:
          "/**": { allowedOrigins: [ "https://app.example.com" ], allowedMethods: [ GET, POST ] }
        routes:
          - id: api
            uri: %1$s
            predicates: [ "Path=/echo/api/**" ]
          - id: partner
            uri: %1$s
            predicates: [ "Path=/echo/partner/**" ]
            filters:
              - name: Cors
                args: { allowedOrigins: [ "https://partner.example.org" ], allowedMethods: [ PUT ] }
          - id: cached
            uri: %1$s
            predicates: [ "Path=/big" ]
            filters: [ "LocalResponseCache=30s,10MB" ]
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  private static HttpResponse<String> preflight(String path, String origin, String method) {
    return JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri(path)).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
      .header("Origin", origin).header("Access-Control-Request-Method", method).build());
  }

  @Test
  void globalCorsAnswersPreflightsAndDecoratesResponses() {
    int before = upstream.requests();
    HttpResponse<String> ok = preflight("/echo/api/x", "https://app.example.com", "POST");
    assertThat(ok.statusCode()).isEqualTo(204);
    assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
    assertThat(preflight("/echo/api/x", "https://evil.example.net", "POST").statusCode()).isEqualTo(403);
    assertThat(preflight("/no/route/here", "https://app.example.com", "GET").statusCode()).as("answered without a route").isEqualTo(204);
    assertThat(upstream.requests()).as("preflights never reach the upstream").isEqualTo(before);

    HttpResponse<String> actual = JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri("/echo/api/y"))
      .header("Origin", "https://app.example.com").build());
    assertThat(actual.statusCode()).isEqualTo(200);
    assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
  }

  @Test
  void aRouteCorsFilterWinsOverTheGlobalPolicy() {
    assertThat(preflight("/echo/partner/x", "https://partner.example.org", "PUT").statusCode()).isEqualTo(204);
    assertThat(preflight("/echo/partner/x", "https://app.example.com", "GET").statusCode()).isEqualTo(403);
  }

  @Test
  void localResponseCacheServesTheSecondGetWithoutTheUpstream() {
    HttpResponse<String> first = kit.get("/big?kb=64");
    int after = upstream.requests();
    HttpResponse<String> second = kit.get("/big?kb=64");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.body()).isEqualTo(first.body()).hasSize(64 * 1024);
    assertThat(upstream.requests()).as("served from the cache").isEqualTo(after);
    assertThat(second.headers().firstValue("Age")).isPresent();
    kit.get("/big?kb=65");
    assertThat(upstream.requests()).as("another query is another entry").isEqualTo(after + 1);
  }
}
