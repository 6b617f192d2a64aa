package io.junction.gateway;

import io.junction.testkit.FreePorts;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Retry, CircuitBreaker and RequestRateLimiter on real routes through Junction. */
class ResilienceRouteTest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("r");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: retried
            uri: %1$s
            predicates: [ "Path=/flaky" ]
            filters:
              - name: Retry
                args: { retries: 3, statuses: SERVICE_UNAVAILABLE, backoff: { firstBackoff: 10ms, maxBackoff: 50ms, factor: 2 } }
          - id: guarded
            uri: http://127.0.0.1:%2$d
            predicates: [ "Path=/guarded/**" ]
            filters:
              - name: CircuitBreaker
                args: { failureThreshold: 2, openTime: 30s, fallbackUri: "forward:/fallback/guarded" }
          - id: fallback
            uri: %1$s
            predicates: [ "Path=/fallback/**" ]
            filters: [ "SetPath=/echo/fallback" ]
          - id: limited
            uri: %1$s
            predicates: [ "Path=/echo/limited" ]
            filters:
              - name: RequestRateLimiter
                args: { replenishRate: 1, burstCapacity: 3, keyResolver: ip }
      """.formatted(upstream.url(), FreePorts.next())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void retryHidesTransientFailures() {
    HttpResponse<String> r = kit.get("/flaky?fail=2&key=retry-ok");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("attempt 3");
    HttpResponse<String> exhausted = kit.get("/flaky?fail=10&key=retry-exhausted");
    assertThat(exhausted.statusCode()).as("after 1 + 3 attempts the last answer passes through").isEqualTo(503);
    assertThat(exhausted.body()).isEqualTo("attempt 4");
    assertThat(kit.admin("/metrics").body()).contains("junction_gateway_retries_total{route=\"retried\"}");
  }

  @Test
  void circuitBreakerFallsBackWhenTheUpstreamIsDown() {
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> r = kit.get("/guarded/x");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(r.body()).getString("path")).isEqualTo("/echo/fallback");
    }
  }

  @Test
  void rateLimiterAllowsTheBurstThenAnswers429() {
    int ok = 0;
    HttpResponse<String> refused = null;
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> r = kit.get("/echo/limited");
      if (r.statusCode() == 200) {
        ok++;
        assertThat(r.headers().firstValue("X-RateLimit-Burst-Capacity")).hasValue("3");
      } else {
        refused = r;
      }
    }
    assertThat(ok).isBetween(3, 4);
    assertThat(refused).isNotNull();
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(new JsonObject(refused.body()).getString("error")).isEqualTo("rate_limited");
  }
}
