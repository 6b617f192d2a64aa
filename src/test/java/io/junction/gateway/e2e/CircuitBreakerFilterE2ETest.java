package io.junction.gateway.e2e;

import io.junction.testkit.Eventually;
import io.junction.testkit.FreePorts;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static io.junction.gateway.e2e.E2E.get;
import static org.assertj.core.api.Assertions.assertThat;

/** CircuitBreaker through a running Junction: open on failures, fall back, half-open, close. One breaker per test. */
class CircuitBreakerFilterE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("cb");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: shortcut
            uri: http://127.0.0.1:%2$d
            predicates: [ "Path=/down/**" ]
            filters: [ "CircuitBreaker=down-breaker" ]
          - id: with-fallback
            uri: %1$s
            predicates: [ "Path=/cb/{code}" ]
            filters:
              - name: CircuitBreaker
                args:
                  name: fallback-breaker
                  fallbackUri: "forward:/fallback/{code}"
                  statusCodes: [ 500, BAD_GATEWAY ]
                  failureThreshold: 2
                  openTime: 30s
              - SetPath=/status/{code}
          - id: fallback
            uri: %1$s
            predicates: [ "Path=/fallback/{code}" ]
            filters: [ "SetPath=/echo/fallback/{code}" ]
          - id: counted
            uri: %1$s
            predicates: [ "Path=/counted/**" ]
            filters:
              - name: CircuitBreaker
                args: { statusCodes: 500, failureThreshold: 2 }
              - StripPrefix=1
          - id: slow
            uri: %1$s
            predicates: [ "Path=/slow" ]
            filters:
              - name: CircuitBreaker
                args: { timeout: 200ms, failureThreshold: 1, openTime: 1500ms }
      """.formatted(upstream.url(), FreePorts.next())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void shortcutOpensAfterFiveFailuresAndThenAnswers503() {
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = get(kit, "/down/x");
      assertThat(r.statusCode()).as("failure %d goes to the client as the proxy maps it", i + 1).isEqualTo(502);
    }
    HttpResponse<String> open = get(kit, "/down/x");
    assertThat(open.statusCode()).isEqualTo(503);
    JsonObject body = new JsonObject(open.body());
    assertThat(body.getString("error")).isEqualTo("unavailable");
    assertThat(body.getString("message")).contains("circuit open", "shortcut");
  }

  @Test
  void countedStatusesGoToTheFallbackAndAnOpenCircuitSkipsTheUpstream() {
    HttpResponse<String> ok = get(kit, "/cb/200");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("status 200");

    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = get(kit, "/cb/500");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(r.body()).getString("path")).isEqualTo("/echo/fallback/500");
    }
    int before = upstream.requests();
    HttpResponse<String> open = get(kit, "/cb/200");
    assertThat(new JsonObject(open.body()).getString("path")).as("open: straight to the fallback").isEqualTo("/echo/fallback/200");
    assertThat(upstream.requests() - before).as("only the fallback's call").isEqualTo(1);
    assertThat(kit.admin("/metrics").body()).contains("junction_gateway_circuit_state{route=\"with-fallback\"} 2.0");
  }

  @Test
  void withoutAFallbackCountedStatusesStillReachTheClient() {
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = get(kit, "/counted/status/500");
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.body()).isEqualTo("status 500");
    }
    // the breaker counts a failure when the relay of its response has ended, which may be a moment after the
    // client has read it (and on another event loop than the next request): wait for the count, not the clock
    Eventually.until("the breaker opened after two counted failures", Duration.ofSeconds(2),
      () -> kit.admin("/metrics").body().contains("junction_gateway_circuit_state{route=\"counted\"} 2.0"));
    assertThat(get(kit, "/counted/status/200").statusCode()).isEqualTo(503);
  }

  @Test
  void timeoutOpensThenAHalfOpenTrialClosesIt() throws InterruptedException {
    long t0 = System.nanoTime();
    HttpResponse<String> slow = get(kit, "/slow?ms=3000");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(slow.statusCode()).isEqualTo(504);
    assertThat(new JsonObject(slow.body()).getString("error")).isEqualTo("upstream_timeout");
    assertThat(ms).isLessThan(2500);

    assertThat(get(kit, "/slow?ms=10").statusCode()).as("open").isEqualTo(503);
    Thread.sleep(1700);
    HttpResponse<String> trial = get(kit, "/slow?ms=10");
    assertThat(trial.statusCode()).as("half-open trial succeeds").isEqualTo(200);
    assertThat(trial.body()).isEqualTo("slow 10");
    Eventually.until("the trial's success closed the breaker", Duration.ofSeconds(2),
      () -> kit.admin("/metrics").body().contains("junction_gateway_circuit_state{route=\"slow\"} 0.0"));
    assertThat(get(kit, "/slow?ms=10").statusCode()).as("closed again").isEqualTo(200);
  }
}
