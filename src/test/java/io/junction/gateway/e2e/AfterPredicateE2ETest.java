package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import static io.junction.gateway.e2e.E2E.get;
import static io.junction.gateway.e2e.E2E.noRoute;
import static io.junction.gateway.e2e.E2E.upstreamHeaders;
import static org.assertj.core.api.Assertions.assertThat;

/** After predicate through a running Junction: ISO dates with zone, epoch millis, past and future. */
class AfterPredicateE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("after");
    String future = ZonedDateTime.now(ZoneId.of("Asia/Tokyo")).plusDays(1).toString(); // 2026-...+09:00[Asia/Tokyo]
    long pastMillis = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: launched
            uri: %1$s
            predicates: [ "Path=/launched/**", "After=2017-01-20T17:42:47.789-07:00[America/Denver]" ]
            filters: [ "AddRequestHeader=X-Route, launched" ]
          - id: not-yet
            uri: %1$s
            predicates: [ "Path=/not-yet/**", "After=%2$s" ]
          - id: millis
            uri: %1$s
            predicates:
              - Path=/millis/**
              - name: After
                args: { datetime: %3$d }
            filters: [ "AddRequestHeader=X-Route, millis" ]
          - id: not-yet-fallback-order
            uri: %1$s
            order: -1
            predicates: [ "Path=/launched/**", "After=%2$s" ]
            filters: [ "AddRequestHeader=X-Route, not-yet-fallback-order" ]
      """.formatted(upstream.url(), future, pastMillis)).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void aPastInstantWithZoneMatches() {
    assertThat(upstreamHeaders(kit, "/launched/x").getString("x-route"))
      .as("the earlier-ordered route is still in the future, so the next one serves").isEqualTo("launched");
  }

  @Test
  void aFutureInstantDoesNotMatch() {
    int before = upstream.requests();
    noRoute(get(kit, "/not-yet/x"));
    assertThat(upstream.requests()).isEqualTo(before);
  }

  @Test
  void expandedFormWithEpochMillis() {
    assertThat(upstreamHeaders(kit, "/millis/x").getString("x-route")).isEqualTo("millis");
  }
}
