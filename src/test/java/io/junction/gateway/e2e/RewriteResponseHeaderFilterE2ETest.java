package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.junction.gateway.e2e.E2E.get;
import static io.junction.gateway.e2e.ProbeUpstream.rh;
import static org.assertj.core.api.Assertions.assertThat;

/** RewriteResponseHeader through a running Junction. */
class RewriteResponseHeaderFilterE2ETest {
  static ProbeUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new ProbeUpstream();
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: spring-example
            uri: %1$s
            predicates: [ "Path=/r/**" ]
            filters:
              - RewriteResponseHeader=X-Response-Red, password=[^&]+, password=***
              - RewriteResponseHeader=X-Trace, trace=(?<id>\\w+), id=$\\{id}
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/ids/**" ]
            filters:
              - name: RewriteResponseHeader
                args: { name: X-Ids, regexp: "([0-9]{1,3})", replacement: "<$1>" }
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void springsDocumentedExampleInEveryLine() {
    HttpResponse<String> r = get(kit, "/r/x?" + rh("X-Response-Red", "/42?user=ford&password=omg!what&flag=true")
      + "&" + rh("X-Response-Red", "password=second") + "&" + rh("X-Other", "password=untouched"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().allValues("X-Response-Red")).containsExactly("/42?user=ford&password=***&flag=true", "password=***");
    assertThat(r.headers().allValues("X-Other")).containsExactly("password=untouched");
  }

  @Test
  void namedGroupWithSpringsYamlSpelling() {
    assertThat(get(kit, "/r/x?" + rh("X-Trace", "trace=abc123")).headers().allValues("X-Trace")).containsExactly("id=abc123");
  }

  @Test
  void noSuchHeaderNothingHappens() {
    HttpResponse<String> r = get(kit, "/r/x");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().allValues("X-Response-Red")).isEmpty();
  }

  @Test
  void expandedFormAllowsCommasInTheRegexpAndReplacesEveryMatch() {
    assertThat(get(kit, "/ids/x?" + rh("X-Ids", "1, 22, 4444")).headers().allValues("X-Ids")).containsExactly("<1>, <22>, <444><4>");
  }
}
