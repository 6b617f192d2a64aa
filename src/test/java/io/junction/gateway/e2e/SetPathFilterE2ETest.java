package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.junction.gateway.e2e.E2E.echo;
import static io.junction.gateway.e2e.E2E.get;
import static org.assertj.core.api.Assertions.assertThat;

/** SetPath through a running Junction. */
class SetPathFilterE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("setpath");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: shortcut
            uri: %1$s
            predicates: [ "Path=/red/{segment}" ]
            filters: [ "SetPath=/{segment}" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/items/{version}/{id}" ]
            filters:
              - name: SetPath
                args: { template: "/api/{version}/items/{id}" }
          - id: fixed
            uri: %1$s
            predicates: [ "Path=/health" ]
            filters: [ "SetPath=/status/204" ]
          - id: unknown-variable
            uri: %1$s
            predicates: [ "Path=/broken/{segment}" ]
            filters: [ "SetPath=/{nope}" ]
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
  void shortcutFillsTheTemplateAndKeepsTheQuery() {
    assertThat(uri("/red/blue")).isEqualTo("/blue");
    assertThat(uri("/red/blue?x=1")).isEqualTo("/blue?x=1");
  }

  @Test
  void variablesAreDecodedTextAndTheWholePathIsReEncoded() {
    assertThat(uri("/red/a%20b")).isEqualTo("/a%20b");
  }

  @Test
  void expandedFormWithSeveralVariables() {
    assertThat(uri("/items/v3/42")).isEqualTo("/api/v3/items/42");
  }

  @Test
  void aFixedPath() {
    assertThat(get(kit, "/health").statusCode()).as("upstream /status/204").isEqualTo(204);
  }

  @Test
  void aVariableTheRouteNeverCapturesIs500NamingIt() {
    int before = upstream.requests();
    HttpResponse<String> r = get(kit, "/broken/x");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(new JsonObject(r.body()).getString("message")).contains("SetPath", "'unknown-variable'", "'nope'");
    assertThat(upstream.requests()).isEqualTo(before);
  }
}
