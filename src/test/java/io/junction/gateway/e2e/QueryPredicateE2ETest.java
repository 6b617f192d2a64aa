package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.junction.gateway.e2e.E2E.echo;
import static io.junction.gateway.e2e.E2E.get;
import static org.assertj.core.api.Assertions.assertThat;

/** Query predicate through a running Junction. */
class QueryPredicateE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("query");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: regexp
            uri: %1$s
            predicates: [ "Path=/q/color", "Query=red, gree." ]
            filters: [ "AddRequestHeader=X-Route, regexp" ]
          - id: present
            uri: %1$s
            predicates: [ "Path=/q/flag", "Query=green" ]
            filters: [ "AddRequestHeader=X-Route, present" ]
          - id: expanded
            uri: %1$s
            predicates:
              - Path=/q/size
              - name: Query
                args: { param: size, regexp: "[0-9]{1,3}" }
            filters: [ "AddRequestHeader=X-Route, expanded" ]
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  private static String route(String pathAndQuery) {
    var r = get(kit, pathAndQuery);
    if (r.statusCode() == 404) {
      return null;
    }
    return echo(r).getJsonObject("headers").getString("x-route");
  }

  @Test
  void shortcutRegexpMatchesTheWholeDecodedValue() {
    JsonObject echo = echo(get(kit, "/q/color?red=green&other=1"));
    assertThat(echo.getJsonObject("headers").getString("x-route")).isEqualTo("regexp");
    assertThat(echo.getString("query")).as("the query reaches the upstream unchanged").isEqualTo("red=green&other=1");
    assertThat(route("/q/color?red=greet")).isEqualTo("regexp");
    assertThat(route("/q/color?red=gree%6E")).as("percent-decoded before matching").isEqualTo("regexp");
    assertThat(route("/q/color?red=greenish")).isNull();
    assertThat(route("/q/color?red=blue")).isNull();
    assertThat(route("/q/color")).isNull();
  }

  @Test
  void parameterNamesAreCaseSensitive() {
    // as in Spring (a case-sensitive MultiValueMap) and as Junction's own RemoveRequestParameter treats them
    assertThat(route("/q/color?Red=green")).isNull();
    assertThat(route("/q/flag?GREEN=1")).isNull();
  }

  @Test
  void anyValueOfARepeatedParameterMayMatch() {
    assertThat(route("/q/color?red=blue&red=green")).isEqualTo("regexp");
  }

  @Test
  void withoutRegexpPresenceIsEnough() {
    assertThat(route("/q/flag?green=1")).isEqualTo("present");
    assertThat(route("/q/flag?green")).isEqualTo("present");
    assertThat(route("/q/flag?green=")).isEqualTo("present");
    assertThat(route("/q/flag?greenish=1")).isNull();
    assertThat(route("/q/flag")).isNull();
  }

  @Test
  void expandedFormAllowsCommasInTheRegexp() {
    assertThat(route("/q/size?size=7")).isEqualTo("expanded");
    assertThat(route("/q/size?size=123")).isEqualTo("expanded");
    assertThat(route("/q/size?size=1234")).isNull();
    assertThat(route("/q/size?size=")).isNull();
  }
}
