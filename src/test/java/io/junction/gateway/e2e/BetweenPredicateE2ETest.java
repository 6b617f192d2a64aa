package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import static io.junction.gateway.e2e.E2E.get;
import static io.junction.gateway.e2e.E2E.noRoute;
import static io.junction.gateway.e2e.E2E.upstreamHeaders;
import static org.assertj.core.api.Assertions.assertThat;

/** Between predicate through a running Junction, including a window that opens and closes while it runs. */
class BetweenPredicateE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("between");
    kit = JunctionTestKit.builder().yaml(config(Instant.now().plusSeconds(3600), Instant.now().plusSeconds(7200))).start();
  }

  /** Three fixed routes, plus a route whose window is given as epoch millis in the expanded form. */
  static String config(Instant opens, Instant closes) {
    ZonedDateTime now = ZonedDateTime.now(ZoneId.of("Europe/Paris"));
    return """
      gateway:
        routes:
          - id: open-now
            uri: %1$s
            predicates: [ "Path=/now/**", "Between=%2$s, %3$s" ]
            filters: [ "AddRequestHeader=X-Route, open-now" ]
          - id: over
            uri: %1$s
            predicates: [ "Path=/over/**", "Between=2017-01-20T17:42:47.789-07:00[America/Denver], 2017-01-21T17:42:47.789-07:00[America/Denver]" ]
          - id: later
            uri: %1$s
            predicates: [ "Path=/later/**", "Between=%4$s, %5$s" ]
          - id: window
            uri: %1$s
            predicates:
              - Path=/window/**
              - name: Between
                args: { datetime1: %6$d, datetime2: %7$d }
            filters: [ "AddRequestHeader=X-Route, window" ]
          - id: version-%6$d
            uri: %1$s
            predicates: [ "Path=/version/%6$d" ]
      """.formatted(upstream.url(), now.minusHours(1), now.plusHours(1), now.plusDays(1), now.plusDays(2),
      opens.toEpochMilli(), closes.toEpochMilli());
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void insideTheWindowMatches() {
    assertThat(upstreamHeaders(kit, "/now/x").getString("x-route")).isEqualTo("open-now");
  }

  @Test
  void aWindowInThePastOrFutureDoesNotMatch() {
    noRoute(get(kit, "/over/x"));
    noRoute(get(kit, "/later/x"));
  }

  @Test
  void expandedEpochMillisWindowOpensAndClosesWhileJunctionRuns() throws Exception {
    Instant opens = Instant.now().plusMillis(2000);
    Instant closes = opens.plusMillis(2000);
    E2E.reload(kit, config(opens, closes), "/version/" + opens.toEpochMilli());
    if (Instant.now().isBefore(opens.minusMillis(300))) {
      noRoute(get(kit, "/window/x"));
    }
    sleepUntil(opens.plusMillis(200));
    assertThat(upstreamHeaders(kit, "/window/x").getString("x-route")).isEqualTo("window");
    sleepUntil(closes.plusMillis(200));
    noRoute(get(kit, "/window/x"));
  }

  private static void sleepUntil(Instant t) throws InterruptedException {
    long ms = t.toEpochMilli() - System.currentTimeMillis();
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }
}
