package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.junction.gateway.e2e.E2E.echo;
import static org.assertj.core.api.Assertions.assertThat;

/** StripPrefix through a running Junction. */
class StripPrefixFilterE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("strip");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: two
            uri: %1$s
            predicates: [ "Path=/name/**" ]
            filters: [ "StripPrefix=2" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/api/**" ]
            filters:
              - name: StripPrefix
                args: { parts: 1 }
          - id: default-one
            uri: %1$s
            predicates: [ "Path=/one/**" ]
            filters: [ "StripPrefix" ]
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  private static String uri(String path) {
    return echo(kit, path).getString("uri");
  }

  @Test
  void shortcutStripsTwoSegmentsAndKeepsTheQuery() {
    assertThat(uri("/name/blue/red")).isEqualTo("/red");
    assertThat(uri("/name/blue/red/echo?x=1&y=a%20b")).isEqualTo("/red/echo?x=1&y=a%20b");
  }

  @Test
  void strippingEverythingLeavesTheRootAndATrailingSlashIsKept() {
    assertThat(uri("/name/blue")).isEqualTo("/");
    assertThat(uri("/name")).isEqualTo("/");
    assertThat(uri("/name/blue/red/")).isEqualTo("/red/");
  }

  @Test
  void encodedCharactersSurvive() {
    assertThat(uri("/name/blue/a%20b/%C3%BC")).isEqualTo("/a%20b/%C3%BC");
  }

  @Test
  void expandedFormAndTheDefaultOfOne() {
    assertThat(uri("/api/v1/users")).isEqualTo("/v1/users");
    assertThat(uri("/one/two/three")).isEqualTo("/two/three");
  }
}
