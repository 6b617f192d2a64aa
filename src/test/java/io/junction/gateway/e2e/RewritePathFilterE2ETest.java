package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.junction.gateway.e2e.E2E.echo;
import static org.assertj.core.api.Assertions.assertThat;

/** RewritePath through a running Junction, with Spring's YAML spelling {@code $\{name}}. */
class RewritePathFilterE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("rewrite");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: spring-example
            uri: %1$s
            predicates:
              - Path=/red/**
            filters:
              - RewritePath=/red/?(?<segment>.*), /$\\{segment}
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/api/**" ]
            filters:
              - name: RewritePath
                args: { regexp: "^/api/(?<ver>v[0-9]+)/(?<rest>.*)$", replacement: "/service/${rest}/${ver}" }
          - id: comma-regexp
            uri: %1$s
            predicates: [ "Path=/num/**" ]
            filters:
              - name: RewritePath
                args: { regexp: "^/num/([0-9]{1,3})$", replacement: "/number/$1" }
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
  void springsDocumentedExample() {
    assertThat(uri("/red/blue")).isEqualTo("/blue");
    assertThat(uri("/red/blue/green?x=1")).isEqualTo("/blue/green?x=1");
    assertThat(uri("/red")).as("an empty result is the root").isEqualTo("/");
  }

  @Test
  void theDecodedPathIsRewrittenAndReEncoded() {
    assertThat(uri("/red/a%20b")).isEqualTo("/a%20b");
  }

  @Test
  void expandedFormWithNamedGroups() {
    assertThat(uri("/api/v2/orders/7")).isEqualTo("/service/orders/7/v2");
    assertThat(uri("/api/latest")).as("no match: the path is sent as it is").isEqualTo("/api/latest");
  }

  @Test
  void expandedFormAllowsCommasInTheRegexp() {
    assertThat(uri("/num/123")).isEqualTo("/number/123");
    assertThat(uri("/num/1234")).isEqualTo("/num/1234");
  }
}
