package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static io.junction.gateway.e2e.E2E.get;
import static io.junction.gateway.e2e.E2E.upstreamHeaders;
import static org.assertj.core.api.Assertions.assertThat;

/** Header predicate through a running Junction. */
class HeaderPredicateE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("header");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: version
            uri: %1$s
            predicates: [ "Path=/h/version", "Header=X-Version, \\\\d+" ]
            filters: [ "AddRequestHeader=X-Route, version" ]
          - id: present
            uri: %1$s
            predicates: [ "Path=/h/debug", "Header=X-Debug" ]
            filters: [ "AddRequestHeader=X-Route, present" ]
          - id: expanded
            uri: %1$s
            predicates:
              - Path=/h/code
              - name: Header
                args: { header: X-Code, regexp: "[A-Z]{2,3}" }
            filters: [ "AddRequestHeader=X-Route, expanded" ]
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  private static int status(String path, String... headers) {
    return get(kit, path, headers).statusCode();
  }

  @Test
  void shortcutRegexpMustMatchTheWholeValue() {
    JsonObject h = upstreamHeaders(kit, "/h/version", "X-Version", "12");
    assertThat(h.getString("x-route")).isEqualTo("version");
    assertThat(h.getString("x-version")).as("the header itself is forwarded").isEqualTo("12");
    assertThat(status("/h/version", "X-Version", "1a")).isEqualTo(404);
    assertThat(status("/h/version", "X-Version", "v12")).isEqualTo(404);
    assertThat(status("/h/version")).isEqualTo(404);
  }

  @Test
  void headerNameIgnoresCase() throws IOException {
    assertThat(RawHttp.get(kit.publicPort(), "/h/version", "x-VERSION: 3").status()).isEqualTo(200);
  }

  @Test
  void anyLineMayMatchButALineIsNotSplitOnCommas() throws IOException {
    assertThat(RawHttp.get(kit.publicPort(), "/h/version", "X-Version: abc", "X-Version: 7").status()).isEqualTo(200);
    assertThat(RawHttp.get(kit.publicPort(), "/h/version", "X-Version: abc, 7").status()).isEqualTo(404);
  }

  @Test
  void withoutRegexpPresenceIsEnoughEvenEmpty() throws IOException {
    assertThat(upstreamHeaders(kit, "/h/debug", "X-Debug", "on").getString("x-route")).isEqualTo("present");
    assertThat(RawHttp.get(kit.publicPort(), "/h/debug", "X-Debug:").status()).isEqualTo(200);
    assertThat(status("/h/debug")).isEqualTo(404);
  }

  @Test
  void expandedFormAllowsCommasInTheRegexp() {
    assertThat(upstreamHeaders(kit, "/h/code", "X-Code", "AB").getString("x-route")).isEqualTo("expanded");
    assertThat(upstreamHeaders(kit, "/h/code", "X-Code", "ABC").getString("x-route")).isEqualTo("expanded");
    assertThat(status("/h/code", "X-Code", "ABCD")).isEqualTo(404);
    assertThat(status("/h/code", "X-Code", "A")).isEqualTo(404);
  }
}
