package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static io.junction.gateway.e2e.E2E.get;
import static io.junction.gateway.e2e.ProbeUpstream.rh;
import static org.assertj.core.api.Assertions.assertThat;

/** Cors through a running Junction: preflights answered by the gateway, allowed and refused requests. */
class CorsFilterE2ETest {
  static final String APP = "https://app.example.com";
  static ProbeUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new ProbeUpstream();
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: shortcut
            uri: %1$s
            predicates: [ "Path=/api/**" ]
            filters: [ "Cors=https://app.example.com, https://admin.example.com" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/creds/**" ]
            filters:
              - name: Cors
                args:
                  allowedOriginPatterns: "https://*.example.org"
                  allowedMethods: [ GET, PUT ]
                  allowedHeaders: [ X-Token, Content-Type ]
                  exposedHeaders: [ X-Total ]
                  allowCredentials: true
                  maxAge: 600
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  private static HttpResponse<String> preflight(String path, String origin, String method, String headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(kit.publicUri(path)).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
      .header("Origin", origin).header("Access-Control-Request-Method", method);
    if (headers != null) {
      b.header("Access-Control-Request-Headers", headers);
    }
    return JunctionTestKit.send(b.build());
  }

  private static void refused(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("forbidden");
  }

  @Test
  void anAllowedCrossOriginRequestGetsTheGatewaysCorsHeaders() {
    HttpResponse<String> r = get(kit, "/api/x?" + rh("Access-Control-Allow-Origin", "*"), "Origin", APP);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().allValues("Access-Control-Allow-Origin")).as("the upstream's own is replaced").containsExactly(APP);
    assertThat(r.headers().allValues("Access-Control-Allow-Credentials")).isEmpty();
    assertThat(String.join(",", r.headers().allValues("Vary"))).contains("Origin");
  }

  @Test
  void aRefusedOriginNeverReachesTheUpstream() {
    int before = upstream.requests();
    refused(get(kit, "/api/x", "Origin", "https://evil.example.net"));
    assertThat(upstream.requests()).isEqualTo(before);
  }

  @Test
  void thePreflightIsAnsweredByTheGateway() {
    int before = upstream.requests();
    HttpResponse<String> r = preflight("/api/x", APP, "POST", "X-Foo, Content-Type");
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
    assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET,HEAD,POST");
    assertThat(r.headers().firstValue("Access-Control-Allow-Headers")).hasValue("X-Foo,Content-Type");
    assertThat(r.headers().firstValue("Access-Control-Max-Age")).hasValue("1800");
    assertThat(upstream.requests()).isEqualTo(before);
    refused(preflight("/api/x", APP, "DELETE", null));
    refused(preflight("/api/x", "https://evil.example.net", "GET", null));
  }

  @Test
  void requestsWithoutOriginOrFromTheGatewaysOwnOriginPassWithoutCorsHeaders() {
    HttpResponse<String> plain = get(kit, "/api/x");
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.headers().allValues("Access-Control-Allow-Origin")).isEmpty();
    assertThat(plain.headers().allValues("Vary")).contains("Origin");
    HttpResponse<String> same = get(kit, "/api/x", "Origin", "http://127.0.0.1:" + kit.publicPort());
    assertThat(same.statusCode()).isEqualTo(200);
    assertThat(same.headers().allValues("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void expandedFormPatternsCredentialsHeadersAndMaxAge() {
    HttpResponse<String> pre = preflight("/creds/x", "https://shop.example.org", "PUT", "X-Token");
    assertThat(pre.statusCode()).isEqualTo(204);
    assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://shop.example.org");
    assertThat(pre.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(pre.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET,PUT");
    assertThat(pre.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
    refused(preflight("/creds/x", "https://shop.example.org", "PUT", "X-Other"));
    refused(preflight("/creds/x", "https://example.org", "GET", null));

    HttpResponse<String> r = get(kit, "/creds/x", "Origin", "https://shop.example.org");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://shop.example.org");
    assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(r.headers().firstValue("Access-Control-Expose-Headers")).hasValue("X-Total");
  }
}
