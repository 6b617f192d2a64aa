package io.junction.observability;

import io.junction.testkit.Eventually;
import io.junction.testkit.FreePorts;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's meters after real traffic: counts per route, method, status class and outcome, upstream timers, gauges. */
class GatewayMetricsTest {
  static TestUpstream upstream;
  static JunctionTestKit kit;
  static String deadInstance;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream();
    deadInstance = "http://127.0.0.1:" + FreePorts.next();
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: api
            uri: %1$s
            predicates: [ "Path=/api/**" ]
            filters: [ "StripPrefix=1" ]
          - id: pool
            uri: lb://pool
            predicates: [ "Path=/pool/**" ]
            filters: [ "StripPrefix=1" ]
          - id: slow
            uri: %1$s
            predicates: [ "Path=/slow/**" ]
            metadata: { response-timeout: 100 }
      services:
        pool:
          instances: [ "%1$s", "%2$s" ]
          healthCheck: { path: /echo/health, interval: 100ms, timeout: 1s, unhealthyThreshold: 1 }
      """.formatted(upstream.url(), deadInstance)).start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (kit != null) {
      kit.close();
    }
    upstream.close();
  }

  @Test
  void countsMatchTheRequestsSentPerRouteMethodStatusClassAndOutcome() {
    for (int i = 0; i < 7; i++) {
      assertThat(kit.get("/api/echo/" + i).statusCode()).isEqualTo(200);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(kit.get("/api/status/404").statusCode()).isEqualTo(404);
    }
    for (int i = 0; i < 2; i++) {
      var post = JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri("/api/echo/p")).POST(HttpRequest.BodyPublishers.ofString("x")).build());
      assertThat(post.statusCode()).isEqualTo(200);
    }
    assertThat(kit.get("/api/status/503").statusCode()).isEqualTo(503);
    assertThat(kit.get("/slow?ms=2000").statusCode()).isEqualTo(504);

    String count = "junction_gateway_requests_seconds_count";
    Eventually.until("the timeout request is counted", Duration.ofSeconds(5),
      () -> Scrape.of(kit).value(count, "route", "slow", "outcome", "timeout") != null);
    Scrape s = Scrape.of(kit);
    assertThat(s.value(count, "route", "api", "method", "GET", "status_class", "2xx", "outcome", "success")).isEqualTo(7.0);
    assertThat(s.value(count, "route", "api", "method", "GET", "status_class", "4xx", "outcome", "client_error")).isEqualTo(3.0);
    assertThat(s.value(count, "route", "api", "method", "POST", "status_class", "2xx", "outcome", "success")).isEqualTo(2.0);
    assertThat(s.value(count, "route", "api", "method", "GET", "status_class", "5xx", "outcome", "server_error")).isEqualTo(1.0);
    assertThat(s.value(count, "route", "slow", "method", "GET", "status_class", "5xx", "outcome", "timeout")).isEqualTo(1.0);
    assertThat(s.sum(count, "route", "api")).isEqualTo(13.0);
    // histogram buckets usable by histogram_quantile: cumulative, +Inf equals the count
    String bucket = "junction_gateway_requests_seconds_bucket";
    assertThat(s.value(bucket, "route", "api", "method", "GET", "status_class", "2xx", "le", "+Inf")).isEqualTo(7.0);
    assertThat(s.value(bucket, "route", "api", "method", "GET", "status_class", "2xx", "le", "0.001")).isNotNull();
    assertThat(s.value(bucket, "route", "api", "method", "GET", "status_class", "2xx", "le", "30.0")).isEqualTo(7.0);
    assertThat(s.value("junction_gateway_requests_seconds_sum", "route", "api", "method", "GET", "status_class", "2xx")).isPositive();

    String authority = "127.0.0.1:" + upstream.port();
    assertThat(s.value("junction_gateway_upstream_seconds_count", "route", "api", "service", "none", "instance", authority)).isEqualTo(13.0);
    assertThat(s.value("junction_gateway_upstream_seconds_bucket", "route", "api", "instance", authority, "le", "+Inf")).isEqualTo(13.0);
    assertThat(s.value("junction_gateway_requests_active")).isEqualTo(0.0);
    assertThat(s.value("junction_gateway_routes")).isEqualTo(3.0);
  }

  @Test
  void upstreamHealthPerInstanceAndUpstreamTimerPerInstance() {
    String healthy = "junction_gateway_upstream_healthy";
    Eventually.until("the dead instance is reported down and the live one up", Duration.ofSeconds(10), () -> {
      Scrape s = Scrape.of(kit);
      return Double.valueOf(0).equals(s.value(healthy, "service", "pool", "instance", deadInstance))
        && Double.valueOf(1).equals(s.value(healthy, "service", "pool", "instance", upstream.url()));
    });
    for (int i = 0; i < 4; i++) {
      assertThat(kit.get("/pool/echo/" + i).statusCode()).isEqualTo(200);
    }
    Eventually.until("four calls timed on the live instance", Duration.ofSeconds(5), () -> Double.valueOf(4).equals(
      Scrape.of(kit).value("junction_gateway_upstream_seconds_count", "route", "pool", "service", "pool", "instance", upstream.url())));
  }

  @Test
  void vertxMetersSkipGatewayRequestsButKeepConnectionsAndAdminRequests() {
    Scrape before = Scrape.of(kit);
    for (int i = 0; i < 20; i++) {
      assertThat(kit.get("/api/echo/v" + i).statusCode()).isEqualTo(200);
    }
    assertThat(kit.admin("/health/live").statusCode()).isEqualTo(200);
    Eventually.until("the gateway counted the 20 requests", Duration.ofSeconds(5), () ->
      Scrape.of(kit).sum("junction_gateway_requests_seconds_count", "route", "api") >= before.sum("junction_gateway_requests_seconds_count", "route", "api") + 20);
    Scrape after = Scrape.of(kit);
    // the 20 proxied requests are not counted a second time by Vert.x, on either side of the proxy;
    // the admin request (and the two scrapes) are
    double serverDelta = after.sum("vertx_http_server_requests_total") - before.sum("vertx_http_server_requests_total");
    assertThat(serverDelta).isGreaterThanOrEqualTo(1.0).isLessThan(20.0);
    double clientDelta = after.sum("vertx_http_client_requests_total") - before.sum("vertx_http_client_requests_total");
    assertThat(clientDelta).isLessThan(20.0); // health checks of 'pool' only
    // connection meters of the public listener stay
    assertThat(after.value("vertx_http_server_active_connections")).isNotNull();
  }
}
