package io.junction.gateway.e2e;

import io.junction.testkit.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The most important bad argument of each predicate: Junction refuses to start, and the message names the
 * route and the problem. Each config also has a good route, to show one bad route is enough to refuse.
 */
class BadRouteConfigE2ETest {
  static String database;

  @BeforeAll
  static void createDatabase() {
    database = TestPostgres.newDatabase();
  }

  @AfterAll
  static void dropDatabase() {
    TestPostgres.dropDatabase(database);
  }

  static Stream<Arguments> badPredicates() {
    return Stream.of(
      Arguments.of("Path", "\"Path=/a/**/b/**\"", new String[] {"Path: argument 'patterns'", "bad path pattern '/a/**/b/**'"}),
      Arguments.of("Host", "\"Host=**.a.**.b\"", new String[] {"Host: argument 'patterns'", "bad host pattern '**.a.**.b'"}),
      Arguments.of("Method", "\"Method=GET;POST\"", new String[] {"Method: argument 'methods'", "bad method 'GET;POST'"}),
      Arguments.of("Header", "{ name: Header, args: { header: X-A, regexp: \"[a-\" } }",
        new String[] {"Header: argument 'regexp'", "bad regexp '[a-'"}),
      Arguments.of("Query", "\"Query=q, (unclosed\"", new String[] {"Query: argument 'regexp'", "bad regexp '(unclosed'"}),
      Arguments.of("Cookie", "\"Cookie=chocolate\"", new String[] {"Cookie: missing required argument 'regexp'"}),
      Arguments.of("After", "\"After=yesterday\"", new String[] {"After: argument 'datetime'", "bad date 'yesterday'"}),
      Arguments.of("Before", "\"Before=2017-13-45T00:00:00Z\"", new String[] {"Before: argument 'datetime'", "bad date '2017-13-45T00:00:00Z'"}),
      Arguments.of("Between", "\"Between=2030-01-02T00:00:00Z, 2030-01-01T00:00:00Z\"",
        new String[] {"Between: argument 'datetime2'", "must be after datetime1"}),
      Arguments.of("RemoteAddr", "\"RemoteAddr=10.0.0.0/33\"", new String[] {"RemoteAddr: argument 'sources'", "10.0.0.0/33"}),
      Arguments.of("XForwardedRemoteAddr", "{ name: XForwardedRemoteAddr, args: { sources: 10.0.0.0/8, maxTrustedIndex: 0 } }",
        new String[] {"XForwardedRemoteAddr: argument 'maxTrustedIndex'", "must be at least 1"}),
      Arguments.of("Weight", "\"Weight=group1, -1\"", new String[] {"Weight: argument 'weight'", "must not be negative"}),
      Arguments.of("JwtClaim", "\"JwtClaim=tenant, (acme\"", new String[] {"JwtClaim: argument 'regexp'", "bad regexp '(acme'"}),
      Arguments.of("unknown", "\"Paht=/x/**\"", new String[] {"unknown predicate 'Paht'"}),
      Arguments.of("typo", "{ name: Header, args: { header: X-A, regex: x } }", new String[] {"unknown argument 'regex' for Header"}),
      Arguments.of("shortcut", "\"Cookie=a, b, c\"", new String[] {"too many arguments", "Cookie takes at most 2"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badPredicates")
  void junctionRefusesToStart(String item, String predicate, String[] problem) {
    String id = "bad-" + item.toLowerCase();
    String message = E2E.startFailure("""
      gateway:
        routes:
          - id: good
            uri: http://127.0.0.1:9
            predicates: [ "Path=/ok/**" ]
          - id: %s
            uri: http://127.0.0.1:9
            predicates:
              - "Path=/x/**"
              - %s
      """.formatted(id, predicate), database);
    assertThat(message).contains("gateway.routes[1].predicates[1] (route '" + id + "')").contains(problem);
    assertThat(message).doesNotContain("route 'good'");
  }
}
