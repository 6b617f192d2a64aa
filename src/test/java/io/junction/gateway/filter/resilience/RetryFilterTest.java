package io.junction.gateway.filter.resilience;

import static io.junction.gateway.filter.resilience.ResilienceTestBed.Outcome.connectRefused;
import static io.junction.gateway.filter.resilience.ResilienceTestBed.Outcome.timedOut;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ItemDefinition;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RetryFilterTest {
  private final RetryFilter.Factory factory = new RetryFilter.Factory();
  private ResilienceTestBed bed;

  @BeforeEach
  void start() throws Exception {
    bed = new ResilienceTestBed();
  }

  @AfterEach
  void stop() throws Exception {
    bed.close();
  }

  @Test
  void retriesServerErrorsUntilSuccess() throws Exception {
    bed.use(bed.create(factory, Map.of()));
    bed.upstream.then(503, 500);

    HttpResponse<String> r = bed.get("/x");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("upstream 200 attempt 3");
    assertThat(bed.upstream.attempts()).isEqualTo(3);
    assertThat(bed.counter(RetryFilter.METRIC)).isEqualTo(2);
  }

  @Test
  void lastAttemptsResponseReachesTheClientAsItIs() throws Exception {
    bed.use(bed.create(factory, Map.of("retries", 2)));
    bed.upstream.then(503, 503, 503, 200);

    HttpResponse<String> r = bed.get("/x");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("upstream 503 attempt 3");
    assertThat(bed.upstream.attempts()).isEqualTo(3);
    assertThat(bed.counter(RetryFilter.METRIC)).isEqualTo(2);
    // every attempt but the last asked the proxy to fail on 5xx; the last asked for nothing
    assertThat(bed.upstream.failOn.get(0).test(503)).isTrue();
    assertThat(bed.upstream.failOn.get(1).test(500)).isTrue();
    assertThat(bed.upstream.failOn.get(1).test(404)).isFalse();
    assertThat(bed.upstream.failOn.get(2)).isNull();
  }

  @Test
  void otherStatusesAreNotRetried() throws Exception {
    bed.use(bed.create(factory, Map.of()));
    bed.upstream.then(404);

    assertThat(bed.get("/x").statusCode()).isEqualTo(404);
    assertThat(bed.upstream.attempts()).isEqualTo(1);
    assertThat(bed.counter(RetryFilter.METRIC)).isZero();
  }

  @Test
  void statusesByNameOrNumberWithSeriesSwitchedOff() throws Exception {
    bed.use(bed.create(factory, Map.of("statuses", List.of("BAD_GATEWAY", 429), "series", List.of())));
    bed.upstream.then(502, 429, 503);

    HttpResponse<String> r = bed.get("/x");

    assertThat(r.statusCode()).isEqualTo(503); // 503 is not listed and the 5xx series is off
    assertThat(bed.upstream.attempts()).isEqualTo(3);
  }

  @Test
  void connectFailuresAndTimeoutsAreRetried() throws Exception {
    bed.use(bed.create(factory, Map.of()));
    bed.upstream.then(connectRefused(), timedOut());

    HttpResponse<String> r = bed.get("/x");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(bed.upstream.attempts()).isEqualTo(3);
  }

  @Test
  void exhaustedRetriesOnFailuresLeaveTheFailureToTheProxy() throws Exception {
    bed.use(bed.create(factory, Map.of("retries", 1)));
    bed.upstream.then(connectRefused(), timedOut(), ResilienceTestBed.Outcome.status(200));

    assertThat(bed.get("/x").statusCode()).isEqualTo(504);
    assertThat(bed.upstream.attempts()).isEqualTo(2);
  }

  @Test
  void onlyConfiguredExceptionsAreRetried() throws Exception {
    bed.use(bed.create(factory, Map.of("exceptions", "java.net.ConnectException")));
    bed.upstream.then(connectRefused(), timedOut());

    assertThat(bed.get("/x").statusCode()).isEqualTo(504);
    assertThat(bed.upstream.attempts()).isEqualTo(2);
  }

  @Test
  void springExceptionNamesMatchBySimpleName() throws Exception {
    bed.use(bed.create(factory, Map.of("exceptions", "org.springframework.cloud.gateway.support.TimeoutException")));
    bed.upstream.then(timedOut(), connectRefused());

    assertThat(bed.get("/x").statusCode()).isEqualTo(502); // timeout retried, connect refused not
    assertThat(bed.upstream.attempts()).isEqualTo(2);
  }

  @Test
  void postIsNotRetriedByDefault() throws Exception {
    bed.use(bed.create(factory, Map.of()));
    bed.upstream.then(503, 200);

    HttpResponse<String> r = bed.send("POST", "/x", "hello");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(bed.upstream.attempts()).isEqualTo(1);
    assertThat(bed.upstream.bodies).containsExactly("hello");
  }

  @Test
  void listedPostIsRetriedWithItsBodyCached() throws Exception {
    bed.use(bed.create(factory, Map.of("methods", "GET,POST")));
    bed.upstream.then(503, 502);

    HttpResponse<String> r = bed.send("POST", "/x", "hello body");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(bed.upstream.attempts()).isEqualTo(3);
    assertThat(bed.upstream.bodies).containsExactly("hello body", "hello body", "hello body");
  }

  @Test
  void backoffWaitsExponentiallyUpToTheCap() throws Exception {
    bed.use(bed.create(factory, Map.of("retries", 3,
      "backoff", Map.of("firstBackoff", "40ms", "maxBackoff", "100ms", "factor", 2, "basedOnPreviousValue", false))));
    bed.upstream.then(503, 503, 503);

    long start = System.nanoTime();
    assertThat(bed.get("/x").statusCode()).isEqualTo(200);
    long totalMs = (System.nanoTime() - start) / 1_000_000;

    List<Long> gaps = gapsMillis();
    assertThat(gaps).hasSize(3);
    assertThat(gaps.get(0)).isBetween(39L, 2000L);  // 40
    assertThat(gaps.get(1)).isBetween(79L, 2000L);  // 80
    assertThat(gaps.get(2)).isBetween(99L, 2000L);  // 160 capped to 100
    assertThat(totalMs).isGreaterThanOrEqualTo(220L).isLessThan(6000L);
  }

  @Test
  void backoffSequences() {
    RetryFilter.Backoff fromFirst = new RetryFilter.Backoff(10, 50, 2, false, 0);
    RetryFilter.Backoff fromPrevious = new RetryFilter.Backoff(10, 0, 3, true, 0);
    long prev = 0;
    List<Long> a = new ArrayList<>();
    List<Long> b = new ArrayList<>();
    for (int n = 0; n < 5; n++) {
      a.add(fromFirst.delayMillis(n, 0));
      prev = fromPrevious.delayMillis(n, prev);
      b.add(prev);
    }
    assertThat(a).containsExactly(10L, 20L, 40L, 50L, 50L);
    assertThat(b).containsExactly(10L, 30L, 90L, 270L, 810L);
    RetryFilter.Backoff jittered = new RetryFilter.Backoff(100, 0, 1, false, 0.5);
    for (int i = 0; i < 200; i++) {
      assertThat(jittered.delayMillis(0, 0)).isBetween(50L, 150L);
    }
  }

  @Test
  void springShortcutForm() throws Exception {
    GatewayFilter retry = factory.create(ItemDefinition.parseShortcut("Retry=2,INTERNAL_SERVER_ERROR,GET,10ms,50ms,2,false"), bed.context());
    bed.use(retry);
    bed.upstream.then(500, 500, 500);

    assertThat(bed.get("/x").statusCode()).isEqualTo(500);
    assertThat(bed.upstream.attempts()).isEqualTo(3);
    assertThat(gapsMillis().get(1)).isGreaterThanOrEqualTo(19L);
  }

  @Test
  void everyAttemptStartsFromTheRequestRetrySaw() throws Exception {
    GatewayFilter rewrite = (ex, chain) -> {
      ex.requestHeaders().add("X-Added", "1");
      ex.setPath("/prefix" + ex.path());
      ex.query().add("q", "1");
      return chain.next(ex);
    };
    bed.use(bed.create(factory, Map.of()), rewrite);
    bed.upstream.then(503, 503);

    assertThat(bed.get("/x?a=b").statusCode()).isEqualTo(200);

    assertThat(bed.upstream.attempts()).isEqualTo(3);
    var last = bed.upstream.exchanges.get(2);
    assertThat(last.requestHeaders().getAll("X-Added")).containsExactly("1");
    assertThat(last.path()).isEqualTo("/prefix/x");
    assertThat(last.encodedQuery()).isEqualTo("a=b&q=1");
  }

  @Test
  void composesWithAnOuterFailOnStatusAndRestoresIt() throws Exception {
    IntPredicate outer = s -> s == 418;
    List<Object> afterwards = new ArrayList<>();
    GatewayFilter outerFilter = (ex, chain) -> {
      ex.failOnStatus(outer);
      return chain.next(ex).andThen(ar -> afterwards.add(ex.failOnStatus()));
    };
    bed.use(outerFilter, bed.create(factory, Map.of("retries", 1)));
    bed.upstream.then(418);

    // 418 is the outer filter's business: not retried, surfaces as UpstreamStatusException (502 here)
    assertThat(bed.get("/x").statusCode()).isEqualTo(502);
    assertThat(bed.upstream.attempts()).isEqualTo(1);
    assertThat(bed.upstream.failOn.get(0).test(418)).isTrue();
    assertThat(bed.upstream.failOn.get(0).test(503)).isTrue();
    assertThat(afterwards).containsExactly(outer);

    bed.upstream.then(503, 200);
    assertThat(bed.get("/x").statusCode()).isEqualTo(200);
    assertThat(bed.upstream.failOn.get(2)).isSameAs(outer); // the last attempt gets the outer predicate back
  }

  @Test
  void badArguments() {
    fails(Map.of("retries", 0), "argument 'retries': must be at least 1");
    fails(Map.of("retries", "many"), "argument 'retries': bad integer 'many'");
    fails(Map.of("statuses", "NOPE"), "unknown HTTP status 'NOPE'");
    fails(Map.of("statuses", 700), "outside 100-599");
    fails(Map.of("series", "SERVER_ERRORS"), "unknown status series 'SERVER_ERRORS'");
    fails(Map.of("methods", "FETCH"), "unknown HTTP method 'FETCH'");
    fails(Map.of("exceptions", "not a class"), "'not a class' is not a class name");
    fails(Map.of("series", List.of(), "exceptions", List.of()), "nothing would be retried");
    fails(Map.of("backoff", Map.of("firstBackoff", "0ms")), "argument 'backoff.firstBackoff': must be greater than 0");
    fails(Map.of("backoff", Map.of("firstBackoff", "soon")), "argument 'backoff.firstBackoff': bad duration 'soon'");
    fails(Map.of("backoff", Map.of("factor", 0.5)), "argument 'backoff.factor': must be at least 1");
    fails(Map.of("backoff", Map.of("firstBackoff", "50ms", "maxBackoff", "10ms")), "must not be less than firstBackoff");
    fails(Map.of("backoff", Map.of("first", "50ms")), "argument 'backoff': unknown key 'first'");
    fails(Map.of("backoff", "fast"), "argument 'backoff': expected an object");
    fails(Map.of("backoff", Map.of("firstBackoff", "10ms"), "backoff.firstBackoff", "20ms"), "given twice");
    fails(Map.of("jitter", Map.of("randomFactor", 2), "backoff", Map.of()), "between 0 and 1");
    fails(Map.of("retry", 3), "unknown argument 'retry'");
  }

  private void fails(Map<String, Object> args, String message) {
    assertThatThrownBy(() -> factory.create(ItemDefinition.parse(new JsonObject().put("name", "Retry").put("args", new JsonObject(args))), bed.context()))
      .isInstanceOf(DefinitionException.class).hasMessageContaining(message);
  }

  private List<Long> gapsMillis() {
    List<Long> times = new ArrayList<>(bed.upstream.attemptNanos);
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < times.size(); i++) {
      gaps.add((times.get(i) - times.get(i - 1)) / 1_000_000);
    }
    return gaps;
  }
}
