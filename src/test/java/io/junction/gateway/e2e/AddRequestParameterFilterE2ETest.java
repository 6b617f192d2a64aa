package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.junction.gateway.e2e.E2E.echo;
import static org.assertj.core.api.Assertions.assertThat;

/** AddRequestParameter through a running Junction. */
class AddRequestParameterFilterE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("param");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: shortcut
            uri: %1$s
            predicates: [ "Path=/p/{segment}" ]
            filters: [ "AddRequestParameter=red, blue-{segment}" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/enc/**" ]
            filters:
              - name: AddRequestParameter
                args: { name: "a b", value: "x&y=z, ü" }
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  /** The query the upstream received, decoded into name=value pairs in order. */
  static List<String> pairs(JsonObject echo) {
    List<String> out = new ArrayList<>();
    String q = echo.getString("query");
    if (q == null || q.isEmpty()) {
      return out;
    }
    for (String pair : q.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      out.add(eq < 0 ? name : name + "=" + URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void shortcutAppendsTheParameterWithAUriVariable() {
    JsonObject e = echo(kit, "/p/sky");
    assertThat(e.getString("uri")).isEqualTo("/p/sky?red=blue-sky");
  }

  @Test
  void existingParametersOfTheSameNameAreKeptInOrder() {
    JsonObject e = echo(kit, "/p/sky?red=mine&x=1&flag");
    assertThat(e.getString("path")).isEqualTo("/p/sky");
    assertThat(pairs(e)).containsExactly("red=mine", "x=1", "flag", "red=blue-sky");
  }

  @Test
  void expandedFormNameAndValueArePlainTextAndGetEncoded() {
    JsonObject e = echo(kit, "/enc/x?keep=%2F");
    assertThat(pairs(e)).containsExactly("keep=/", "a b=x&y=z, ü");
  }
}
