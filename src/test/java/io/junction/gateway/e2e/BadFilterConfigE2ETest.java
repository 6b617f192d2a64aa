package io.junction.gateway.e2e;

import org.junit.jupiter.api.Test;
import io.junction.testkit.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The most important bad argument of each filter: Junction refuses to start, and the message names the route,
 * the filter and the problem. Each config also has a good route, to show one bad filter is enough to refuse.
 */
class BadFilterConfigE2ETest {
  static String database;

  @BeforeAll
  static void createDatabase() {
    database = TestPostgres.newDatabase();
  }

  @AfterAll
  static void dropDatabase() {
    TestPostgres.dropDatabase(database);
  }

  static Stream<Arguments> badFilters() {
    return Stream.of(
      Arguments.of("AddRequestHeader", "\"AddRequestHeader=X Bad, v\"", new String[] {"argument 'name'", "bad header name 'X Bad'"}),
      Arguments.of("AddRequestHeadersIfNotPresent", "\"AddRequestHeadersIfNotPresent=X-Color\"",
        new String[] {"argument 'keyValues'", "expected 'name:value' but got 'X-Color'"}),
      Arguments.of("AddRequestParameter", "\"AddRequestParameter=red\"", new String[] {"missing required argument 'value'"}),
      Arguments.of("AddResponseHeader", "\"AddResponseHeader=X-A, v, maybe\"", new String[] {"argument 'override'", "bad boolean 'maybe'"}),
      Arguments.of("SetRequestHeader", "{ name: SetRequestHeader, args: { name: X-A, value: \"a\\r\\nX-Injected: 1\" } }",
        new String[] {"argument 'value'", "control characters"}),
      Arguments.of("SetResponseHeader", "\"SetResponseHeader=X-A\"", new String[] {"missing required argument 'value'"}),
      Arguments.of("RemoveRequestHeader", "\"RemoveRequestHeader=X:Bad\"", new String[] {"argument 'name'", "bad header name 'X:Bad'"}),
      Arguments.of("RemoveResponseHeader", "\"RemoveResponseHeader\"", new String[] {"missing required argument 'name'"}),
      Arguments.of("RemoveRequestParameter", "{ name: RemoveRequestParameter, args: {} }", new String[] {"missing required argument 'name'"}),
      Arguments.of("MapRequestHeader", "\"MapRequestHeader=Blue\"", new String[] {"missing required argument 'toHeader'"}),
      Arguments.of("DedupeResponseHeader", "\"DedupeResponseHeader=X-A, RETAIN_MIDDLE\"",
        new String[] {"argument 'strategy'", "unknown strategy 'RETAIN_MIDDLE'"}),
      Arguments.of("PreserveHostHeader", "\"PreserveHostHeader=true\"", new String[] {"PreserveHostHeader takes no arguments"}),
      Arguments.of("SetRequestHostHeader", "\"SetRequestHostHeader=example.org/path\"",
        new String[] {"argument 'host'", "expected a host or host:port"}),
      Arguments.of("StripPrefix", "\"StripPrefix=-1\"", new String[] {"argument 'parts'", "must be 0 or more"}),
      Arguments.of("PrefixPath", "\"PrefixPath=mypath\"", new String[] {"argument 'prefix'", "must start with '/'"}),
      Arguments.of("RewritePath", "\"RewritePath=/red/(.*), /$2\"", new String[] {"argument 'replacement'", "bad replacement '/$2'"}),
      Arguments.of("SetPath", "\"SetPath=blue\"", new String[] {"argument 'template'", "must start with '/'"}),
      Arguments.of("RedirectTo", "\"RedirectTo=200, https://acme.org\"", new String[] {"argument 'status'", "must be a 3xx redirect status"}),
      Arguments.of("SetStatus", "\"SetStatus=NOPE\"", new String[] {"argument 'status'", "unknown status 'NOPE'"}),
      Arguments.of("RewriteResponseHeader", "\"RewriteResponseHeader=X-A, [, x\"", new String[] {"argument 'regexp'", "bad regexp '['"}),
      Arguments.of("RewriteLocationResponseHeader", "\"RewriteLocationResponseHeader=SOMETIMES\"",
        new String[] {"argument 'stripVersion'", "unknown mode 'SOMETIMES'"}),
      Arguments.of("SecureHeaders", "\"SecureHeaders=x-unknown-header\"",
        new String[] {"argument 'disable'", "unknown security header 'x-unknown-header'"}),
      Arguments.of("RequestSize", "\"RequestSize=5 parsecs\"", new String[] {"argument 'maxSize'", "bad data size '5 parsecs'"}),
      Arguments.of("RequestHeaderSize", "\"RequestHeaderSize=0\"", new String[] {"argument 'maxSize'", "must be more than 0 bytes"}),
      Arguments.of("Retry", "{ name: Retry, args: { retries: 3, backoff: { firstBackoff: 100ms, maxBackoff: 10ms } } }",
        new String[] {"argument 'backoff.maxBackoff'", "must not be less than firstBackoff"}),
      Arguments.of("CircuitBreaker", "{ name: CircuitBreaker, args: { fallbackUri: \"https://fallback.example.org\" } }",
        new String[] {"argument 'fallbackUri'", "only forward:/path is"}),
      Arguments.of("RequestRateLimiter", "{ name: RequestRateLimiter, args: { replenishRate: 10, burstCapacity: 20, keyResolver: \"#{@userKeyResolver}\" } }",
        new String[] {"argument 'keyResolver'", "Spring bean expressions cannot be used here"}),
      Arguments.of("Cors", "{ name: Cors, args: { allowedOrigins: \"*\", allowCredentials: true } }",
        new String[] {"argument 'allowedOrigins'", "'*' cannot be combined with allowCredentials=true"}),
      Arguments.of("LocalResponseCache", "{ name: LocalResponseCache, args: { size: 1MB, maxEntrySize: 2MB } }",
        new String[] {"argument 'maxEntrySize'", "must not be larger than size"}),
      Arguments.of("unknown", "\"StripPrefixes=1\"", new String[] {"unknown filter 'StripPrefixes'"}),
      Arguments.of("typo", "{ name: StripPrefix, args: { part: 1 } }", new String[] {"unknown argument 'part' for StripPrefix"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFilters")
  void junctionRefusesToStart(String item, String filter, String[] problem) {
    String id = "bad-" + item.toLowerCase();
    String message = E2E.startFailure("""
      gateway:
        routes:
          - id: good
            uri: http://127.0.0.1:9
            predicates: [ "Path=/ok/**" ]
            filters: [ "StripPrefix=1" ]
          - id: %s
            uri: http://127.0.0.1:9
            predicates: [ "Path=/x/**" ]
            filters:
              - "AddResponseHeader=X-Fine, 1"
              - %s
      """.formatted(id, filter), database);
    assertThat(message).contains("gateway.routes[1].filters[1] (route '" + id + "')").contains(problem);
    assertThat(message).doesNotContain("route 'good'");
  }

  @Test
  void aBadDefaultFilterIsReportedForEveryRoute() {
    String message = E2E.startFailure("""
      gateway:
        default-filters: [ "AddResponseHeader=X Bad, 1" ]
        routes:
          - id: first
            uri: http://127.0.0.1:9
            predicates: [ "Path=/a/**" ]
      """, database);
    assertThat(message).contains("gateway.default-filters[0] (route 'first')", "bad header name 'X Bad'");
  }
}
