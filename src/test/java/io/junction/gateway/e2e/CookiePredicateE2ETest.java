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

/** Cookie predicate through a running Junction. */
class CookiePredicateE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("cookie");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: chocolate
            uri: %1$s
            predicates: [ "Path=/c/**", "Cookie=chocolate, ch.p" ]
            filters: [ "AddRequestHeader=X-Route, chocolate" ]
          - id: session
            uri: %1$s
            predicates:
              - Path=/c/**
              - name: Cookie
                args: { name: session, regexp: "[a-f0-9]{4,}" }
            filters: [ "AddRequestHeader=X-Route, session" ]
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  private static String route(String cookie) {
    var r = cookie == null ? get(kit, "/c/x") : get(kit, "/c/x", "Cookie", cookie);
    if (r.statusCode() == 404) {
      return null;
    }
    return echo(r).getJsonObject("headers").getString("x-route");
  }

  @Test
  void shortcutNameAndWholeValueRegexp() {
    JsonObject echo = echo(get(kit, "/c/x", "Cookie", "a=1; chocolate=chip"));
    assertThat(echo.getJsonObject("headers").getString("x-route")).isEqualTo("chocolate");
    assertThat(echo.getJsonObject("headers").getString("cookie")).as("cookies are forwarded as sent").isEqualTo("a=1; chocolate=chip");
    assertThat(route("chocolate=chop")).isEqualTo("chocolate");
    assertThat(route("chocolate=chips")).as("the whole value must match").isNull();
    assertThat(route("Chocolate=chip")).as("cookie names are case-sensitive").isNull();
    assertThat(route("vanilla=chip")).isNull();
    assertThat(route(null)).isNull();
  }

  @Test
  void expandedFormAllowsCommasInTheRegexp() {
    assertThat(route("session=abc123")).isEqualTo("session");
    assertThat(route("session=ab")).isNull();
    assertThat(route("session=xyz123")).isNull();
  }
}
