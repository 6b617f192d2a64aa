package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.junction.gateway.e2e.AddRequestParameterFilterE2ETest.pairs;
import static io.junction.gateway.e2e.E2E.echo;
import static org.assertj.core.api.Assertions.assertThat;

/** RemoveRequestParameter through a running Junction. */
class RemoveRequestParameterFilterE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("rmparam");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: shortcut
            uri: %1$s
            predicates: [ "Path=/p/**" ]
            filters: [ "RemoveRequestParameter=red" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/enc/**" ]
            filters:
              - name: RemoveRequestParameter
                args: { name: "a b" }
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void everyOccurrenceIsRemovedAndTheRestKeepsItsOrder() {
    JsonObject e = echo(kit, "/p/x?red=1&x=2&red=3&flag&y=4");
    assertThat(e.getString("path")).isEqualTo("/p/x");
    assertThat(pairs(e)).containsExactly("x=2", "flag", "y=4");
  }

  @Test
  void namesAreCaseSensitive() {
    assertThat(pairs(echo(kit, "/p/x?Red=1&red=2"))).containsExactly("Red=1");
  }

  @Test
  void removingTheOnlyParameterLeavesNoQuery() {
    assertThat(echo(kit, "/p/x?red=1").getString("uri")).isEqualTo("/p/x");
  }

  @Test
  void expandedFormMatchesTheDecodedName() {
    assertThat(pairs(echo(kit, "/enc/x?a%20b=1&keep=2&a+b=3"))).containsExactly("keep=2");
  }
}
