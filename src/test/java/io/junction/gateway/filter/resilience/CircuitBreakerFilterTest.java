package io.junction.gateway.filter.resilience;

import static io.junction.gateway.filter.resilience.ResilienceTestBed.Outcome.connectRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ItemDefinition;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CircuitBreakerFilterTest {
  private final CircuitBreakerFilter.Factory factory = new CircuitBreakerFilter.Factory();
  private ResilienceTestBed bed;

  @BeforeEach
  void start() throws Exception {
    bed = new ResilienceTestBed();
  }

  @AfterEach
  void stop() throws Exception {
    bed.close();
  }

  private CircuitBreakerFilter breaker(Map<String, Object> args) throws DefinitionException {
    CircuitBreakerFilter filter = (CircuitBreakerFilter) bed.create(factory, args);
    bed.use(filter);
    return filter;
  }

  private double gauge() {
    return bed.meters.find(CircuitBreakerFilter.METRIC).tag("route", ResilienceTestBed.ROUTE_ID).gauge().value();
  }

  @Test
  void opensAfterThresholdFailuresAndAnswers503() throws Exception {
    CircuitBreakerFilter cb = breaker(Map.of("failureThreshold", 3, "openTime", "10s"));
    bed.upstream.then(connectRefused(), connectRefused(), connectRefused());

    for (int i = 0; i < 3; i++) {
      assertThat(bed.get("/x").statusCode()).isEqualTo(502); // failures propagate to the proxy
    }
    assertThat(cb.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(gauge()).isEqualTo(2);

    HttpResponse<String> open = bed.get("/x");
    assertThat(open.statusCode()).isEqualTo(503);
    JsonObject body = new JsonObject(open.body());
    assertThat(body.getString("error")).isEqualTo("unavailable");
    assertThat(body.getString("message")).isEqualTo("circuit open for route r1");
    assertThat(bed.upstream.attempts()).isEqualTo(3); // the open circuit did not call upstream
  }

  @Test
  void successInBetweenResetsTheCount() throws Exception {
    CircuitBreakerFilter cb = breaker(Map.of("failureThreshold", 3));
    bed.upstream.then(connectRefused(), connectRefused(), ResilienceTestBed.Outcome.status(200), connectRefused(), connectRefused());

    for (int i = 0; i < 5; i++) {
      bed.get("/x");
    }
    assertThat(cb.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(gauge()).isZero();
  }

  @Test
  void fallbackAnswersFailuresAndTheOpenCircuit() throws Exception {
    CircuitBreakerFilter cb = breaker(Map.of("name", "users", "fallbackUri", "forward:/fallback/{segment}", "failureThreshold", 2));
    bed.upstream.then(connectRefused(), connectRefused());

    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = bed.get("/x");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("fallback /fallback/seg");
    }
    assertThat(cb.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(bed.upstream.attempts()).isEqualTo(2);
    assertThat(bed.forwards).hasSize(3);
    assertThat(bed.forwardCauses.get(0)).isInstanceOf(java.net.ConnectException.class);
    assertThat(bed.forwardCauses.get(2)).isInstanceOf(io.vertx.circuitbreaker.OpenCircuitException.class);
  }

  @Test
  void countedStatusesGoToTheFallback() throws Exception {
    CircuitBreakerFilter cb = breaker(Map.of("fallbackUri", "forward:/fallback", "statusCodes", "500,BAD_GATEWAY", "failureThreshold", 2));
    bed.upstream.then(500, 404, 502);

    assertThat(bed.get("/x").body()).isEqualTo("fallback /fallback");
    assertThat(bed.get("/x").statusCode()).isEqualTo(404); // not a counted status: passes, and resets the count
    assertThat(bed.get("/x").body()).isEqualTo("fallback /fallback");
    assertThat(cb.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(bed.upstream.failOn.get(0).test(502)).isTrue();
    assertThat(bed.upstream.failOn.get(0).test(503)).isFalse();
  }

  @Test
  void withoutFallbackCountedStatusesPassThroughButCount() throws Exception {
    CircuitBreakerFilter cb = breaker(Map.of("statusCodes", 500, "failureThreshold", 2));
    bed.upstream.then(500, 500, 200);

    HttpResponse<String> first = bed.get("/x");
    assertThat(first.statusCode()).isEqualTo(500);
    assertThat(first.body()).isEqualTo("upstream 500 attempt 1");
    assertThat(bed.upstream.failOn.get(0)).isNull(); // nothing discarded
    assertThat(bed.get("/x").statusCode()).isEqualTo(500);
    // the call is done at the response head, the breaker learns it a moment later (its own context hop)
    waitFor(cb, CircuitBreakerState.OPEN, 3000);
    assertThat(bed.get("/x").statusCode()).isEqualTo(503);
  }

  @Test
  void halfOpenTrialClosesTheCircuit() throws Exception {
    CircuitBreakerFilter cb = breaker(Map.of("failureThreshold", 2, "openTime", "200ms"));
    bed.upstream.then(connectRefused(), connectRefused());
    bed.get("/x");
    bed.get("/x");
    assertThat(bed.get("/x").statusCode()).isEqualTo(503);

    waitFor(cb, CircuitBreakerState.HALF_OPEN, 3000);
    assertThat(gauge()).isEqualTo(1);

    HttpResponse<String> trial = bed.get("/x");
    assertThat(trial.statusCode()).isEqualTo(200);
    waitFor(cb, CircuitBreakerState.CLOSED, 3000);
    assertThat(gauge()).isZero();
    assertThat(bed.get("/x").statusCode()).isEqualTo(200);
  }

  @Test
  void failedTrialOpensAgain() throws Exception {
    CircuitBreakerFilter cb = breaker(Map.of("failureThreshold", 1, "openTime", "150ms"));
    bed.upstream.then(connectRefused(), connectRefused());
    assertThat(bed.get("/x").statusCode()).isEqualTo(502);
    waitFor(cb, CircuitBreakerState.HALF_OPEN, 3000);

    assertThat(bed.get("/x").statusCode()).isEqualTo(502); // the trial call
    assertThat(cb.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(bed.get("/x").statusCode()).isEqualTo(503);
    assertThat(bed.upstream.attempts()).isEqualTo(2);
  }

  @Test
  void timeoutAnswers504AndCounts() throws Exception {
    CircuitBreakerFilter cb = breaker(Map.of("timeout", "100ms", "failureThreshold", 1));
    bed.upstream.then(ResilienceTestBed.Outcome.delayed(200, 2000));

    long start = System.nanoTime();
    HttpResponse<String> r = bed.get("/x");
    long ms = (System.nanoTime() - start) / 1_000_000;

    // a 504 at all means the timer beat the upstream's answer at 2 s
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("upstream_timeout");
    assertThat(ms).isBetween(95L, 1900L);
    assertThat(cb.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void timeoutGoesToTheFallbackAndTheLateResponseIsDropped() throws Exception {
    breaker(Map.of("timeout", "100ms", "fallbackUri", "forward:/slow-fallback"));
    bed.upstream.then(ResilienceTestBed.Outcome.delayed(200, 300));

    HttpResponse<String> r = bed.get("/x");
    assertThat(r.body()).isEqualTo("fallback /slow-fallback");
    Thread.sleep(400); // the late upstream answer arrives and must be discarded, not written
    assertThat(bed.upstream.exchanges.get(0).failOnStatus().test(200)).isTrue();
    assertThat(bed.get("/x").statusCode()).isEqualTo(200);
  }

  @Test
  void statusesAnOuterFilterFailsOnAreNotCounted() throws Exception {
    CircuitBreakerFilter cb = (CircuitBreakerFilter) bed.create(factory, Map.of("failureThreshold", 2));
    GatewayFilter outer = (ex, chain) -> {
      ex.failOnStatus(s -> s == 503);
      return chain.next(ex);
    };
    bed.use(outer, cb);
    bed.upstream.then(503, 503, 503);

    for (int i = 0; i < 3; i++) {
      assertThat(bed.get("/x").statusCode()).isEqualTo(502); // UpstreamStatusException reached the proxy
    }
    assertThat(cb.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void retryAroundTheBreaker() throws Exception {
    CircuitBreakerFilter cb = (CircuitBreakerFilter) bed.create(factory, Map.of("failureThreshold", 5, "statusCodes", 503, "fallbackUri", "forward:/fb"));
    bed.use(bed.create(new RetryFilter.Factory(), Map.of("retries", 2, "statuses", 502, "series", java.util.List.of())), cb);
    bed.upstream.then(502, 502, 200);

    assertThat(bed.get("/x").statusCode()).isEqualTo(200);
    assertThat(bed.upstream.attempts()).isEqualTo(3);
    assertThat(cb.state()).isEqualTo(CircuitBreakerState.CLOSED);

    bed.upstream.then(503);
    assertThat(bed.get("/x").body()).isEqualTo("fallback /fb"); // the breaker's status: fallback, no retry
  }

  @Test
  void gaugeFollowsTheBreakerServingTheRoute() throws Exception {
    CircuitBreakerFilter first = breaker(Map.of("failureThreshold", 1));
    bed.upstream.then(connectRefused());
    bed.get("/x");
    assertThat(gauge()).isEqualTo(2);
    CircuitBreakerFilter rebuilt = breaker(Map.of("failureThreshold", 1));
    bed.get("/x");
    assertThat(rebuilt.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(first.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(gauge()).isZero();
  }

  @Test
  void fallbackPathVariables() {
    assertThat(CircuitBreakerFilter.expand("/fb/{segment}/{missing}", Map.of("segment", "a"))).isEqualTo("/fb/a/{missing}");
    assertThat(CircuitBreakerFilter.expand("/fb", Map.of())).isEqualTo("/fb");
  }

  @Test
  void shortcutNamesTheBreaker() throws Exception {
    GatewayFilter f = factory.create(ItemDefinition.parseShortcut("CircuitBreaker=myCircuitBreaker"), bed.context());
    assertThat(f.toString()).isEqualTo("CircuitBreaker myCircuitBreaker");
  }

  @Test
  void badArguments() {
    fails(Map.of("fallbackUri", "http://example.org/fallback"), "only forward:/path is");
    fails(Map.of("fallbackUri", "forward:fallback"), "must be forward: and an absolute path");
    fails(Map.of("statusCodes", "NOPE"), "argument 'statusCodes': unknown HTTP status 'NOPE'");
    fails(Map.of("failureThreshold", 0), "argument 'failureThreshold': must be at least 1");
    fails(Map.of("failureThreshold", "x"), "bad integer 'x'");
    fails(Map.of("openTime", "later"), "argument 'openTime': bad duration 'later'");
    fails(Map.of("openTime", "0ms"), "argument 'openTime': must be at least 1 ms");
    fails(Map.of("timeout", "-5"), "argument 'timeout': bad duration");
    fails(Map.of("resetTimeout", "5s"), "unknown argument 'resetTimeout'");
    FilterContext noForwarder = new FilterContext(bed.vertx, bed.meters, "r1", null, null);
    assertThatThrownBy(() -> ResilienceTestBed.create(factory, Map.of("fallbackUri", "forward:/x"), noForwarder))
      .isInstanceOf(DefinitionException.class).hasMessageContaining("forwarding is not available");
  }

  private void fails(Map<String, Object> args, String message) {
    assertThatThrownBy(() -> bed.create(factory, args)).isInstanceOf(DefinitionException.class).hasMessageContaining(message);
  }

  private static void waitFor(CircuitBreakerFilter cb, CircuitBreakerState state, long maxMillis) throws InterruptedException {
    long deadline = System.nanoTime() + maxMillis * 1_000_000;
    while (cb.state() != state) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("breaker still " + cb.state() + " after " + maxMillis + " ms");
      }
      Thread.sleep(10);
    }
  }
}
