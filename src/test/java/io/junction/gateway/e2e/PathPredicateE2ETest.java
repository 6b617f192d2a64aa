package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static io.junction.gateway.e2e.E2E.echo;
import static io.junction.gateway.e2e.E2E.get;
import static io.junction.gateway.e2e.E2E.noRoute;
import static org.assertj.core.api.Assertions.assertThat;

/** Path predicate through a running Junction: patterns, captured variables, trailing slash, normalisation. */
class PathPredicateE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("path");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: shortcut
            uri: %1$s
            predicates: [ "Path=/red/{segment},/blue/**" ]
            filters: [ "AddRequestHeader=X-Route, shortcut" ]
          - id: captured
            uri: %1$s
            predicates: [ "Path=/seg/{segment}" ]
            filters: [ "AddRequestHeader=X-Route, captured", "AddRequestHeader=X-Segment, {segment}" ]
          - id: strict-slash
            uri: %1$s
            predicates: [ "Path=/exact/only,false" ]
            filters: [ "AddRequestHeader=X-Route, strict-slash" ]
          - id: expanded
            uri: %1$s
            predicates:
              - name: Path
                args: { patterns: [ "/green/{id:[0-9]+}" ], matchTrailingSlash: true }
            filters: [ "AddRequestHeader=X-Route, expanded", "AddRequestHeader=X-Vars, id={id}" ]
          - id: rest
            uri: %1$s
            predicates:
              - name: Path
                args: { patterns: "/files/{*rest}" }
            filters: [ "AddRequestHeader=X-Route, rest", "AddRequestHeader=X-Rest, [{rest}]" ]
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  private static String route(JsonObject echo) {
    return echo.getJsonObject("headers").getString("x-route");
  }

  @Test
  void shortcutPatternsMatch() {
    JsonObject red = echo(get(kit, "/red/apple?q=1"));
    assertThat(route(red)).isEqualTo("shortcut");
    assertThat(red.getString("uri")).as("path and query reach the upstream unchanged").isEqualTo("/red/apple?q=1");

    JsonObject blue = echo(get(kit, "/blue/a/b/c"));
    assertThat(route(blue)).isEqualTo("shortcut");
    assertThat(blue.getString("path")).isEqualTo("/blue/a/b/c");
    assertThat(route(echo(get(kit, "/blue")))).as("** matches zero segments").isEqualTo("shortcut");
  }

  @Test
  void aVariableCapturesExactlyOneNonEmptySegment() {
    JsonObject seg = echo(get(kit, "/seg/apple"));
    assertThat(route(seg)).isEqualTo("captured");
    assertThat(seg.getJsonObject("headers").getString("x-segment")).isEqualTo("apple");
    noRoute(get(kit, "/red/apple/pie"));
    noRoute(get(kit, "/red"));
    noRoute(get(kit, "/seg/apple/pie"));
  }

  @Test
  void matchingIsCaseSensitive() {
    noRoute(get(kit, "/RED/apple"));
    noRoute(get(kit, "/Blue/x"));
  }

  @Test
  void trailingSlashMatchesByDefaultButNotWhenSwitchedOff() {
    JsonObject red = echo(get(kit, "/red/apple/"));
    assertThat(route(red)).isEqualTo("shortcut");
    assertThat(red.getString("path")).as("the slash is kept upstream").isEqualTo("/red/apple/");

    assertThat(route(echo(get(kit, "/exact/only")))).isEqualTo("strict-slash");
    noRoute(get(kit, "/exact/only/"));
  }

  @Test
  void expandedFormWithRegexpVariable() {
    JsonObject green = echo(get(kit, "/green/42"));
    assertThat(route(green)).isEqualTo("expanded");
    assertThat(green.getJsonObject("headers").getString("x-vars")).isEqualTo("id=42");
    assertThat(route(echo(get(kit, "/green/42/")))).as("matchTrailingSlash: true").isEqualTo("expanded");
    noRoute(get(kit, "/green/abc"));
  }

  @Test
  void catchAllVariableCapturesTheRestWithItsSlash() {
    JsonObject files = echo(get(kit, "/files/css/site.css"));
    assertThat(route(files)).isEqualTo("rest");
    assertThat(files.getString("path")).isEqualTo("/files/css/site.css");
    assertThat(files.getJsonObject("headers").getString("x-rest")).isEqualTo("[/css/site.css]");
    assertThat(echo(get(kit, "/files")).getJsonObject("headers").getString("x-rest")).as("nothing after it").isEqualTo("[]");
  }

  @Test
  void decodedPathIsMatchedAndReEncodedUpstream() {
    JsonObject seg = echo(get(kit, "/seg/a%20b"));
    assertThat(seg.getJsonObject("headers").getString("x-segment")).isEqualTo("a b");
    assertThat(seg.getString("uri")).isEqualTo("/seg/a%20b");
  }

  @Test
  void dotSegmentsAreResolvedBeforeMatching() throws IOException {
    RawHttp.Response r = RawHttp.get(kit.publicPort(), "/red/../blue/x");
    assertThat(r.status()).isEqualTo(200);
    JsonObject echo = new JsonObject(r.body());
    assertThat(echo.getString("path")).isEqualTo("/blue/x");
    assertThat(route(echo)).isEqualTo("shortcut");
  }

  @Test
  void noMatchIsJunctionsOwn404AndNothingReachesTheUpstream() {
    int before = upstream.requests();
    var r = get(kit, "/purple/x");
    noRoute(r);
    assertThat(new JsonObject(r.body()).getString("message")).isEqualTo("no route matches GET /purple/x");
    assertThat(upstream.requests()).isEqualTo(before);
  }
}
