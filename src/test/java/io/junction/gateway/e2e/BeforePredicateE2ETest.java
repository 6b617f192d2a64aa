package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static io.junction.gateway.e2e.E2E.get;
import static io.junction.gateway.e2e.E2E.noRoute;
import static io.junction.gateway.e2e.E2E.upstreamHeaders;
import static org.assertj.core.api.Assertions.assertThat;

/** Before predicate through a running Junction, including a route that expires while Junction runs. */
class BeforePredicateE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("before");
    kit = JunctionTestKit.builder().yaml(config(Instant.now().plusSeconds(3600))).start();
  }

  static String config(Instant expiry) {
    String future = ZonedDateTime.now(ZoneOffset.UTC).plusDays(1).toString(); // ...Z
    return """
      gateway:
        routes:
          - id: sunset
            uri: %1$s
            predicates: [ "Path=/sunset/**", "Before=%2$s" ]
            filters: [ "AddRequestHeader=X-Route, sunset" ]
          - id: retired
            uri: %1$s
            predicates: [ "Path=/retired/**", "Before=2017-01-20T17:42:47.789-07:00[America/Denver]" ]
          - id: expiring
            uri: %1$s
            predicates:
              - Path=/expiring/**
              - name: Before
                args: { datetime: %3$d }
            filters: [ "AddRequestHeader=X-Route, expiring" ]
          - id: version-%3$d
            uri: %1$s
            predicates: [ "Path=/version/%3$d" ]
      """.formatted(upstream.url(), future, expiry.toEpochMilli());
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void aFutureInstantMatches() {
    assertThat(upstreamHeaders(kit, "/sunset/x").getString("x-route")).isEqualTo("sunset");
  }

  @Test
  void aPastInstantDoesNotMatch() {
    noRoute(get(kit, "/retired/x"));
  }

  @Test
  void expandedEpochMillisRouteStopsMatchingOnceTheInstantPasses() throws Exception {
    Instant expiry = Instant.now().plusMillis(2000);
    E2E.reload(kit, config(expiry), "/version/" + expiry.toEpochMilli());
    if (Instant.now().isBefore(expiry.minusMillis(300))) {
      assertThat(upstreamHeaders(kit, "/expiring/x").getString("x-route")).isEqualTo("expiring");
    }
    long wait = expiry.toEpochMilli() - System.currentTimeMillis() + 100;
    if (wait > 0) {
      Thread.sleep(wait);
    }
    noRoute(get(kit, "/expiring/x"));
  }
}
