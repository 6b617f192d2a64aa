package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static io.junction.gateway.e2e.E2E.upstreamHeaders;
import static org.assertj.core.api.Assertions.assertThat;

/** SetRequestHeader through a running Junction. */
class SetRequestHeaderFilterE2ETest {
  static ProbeUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new ProbeUpstream();
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: shortcut
            uri: %1$s
            predicates: [ "Path=/s/{segment}" ]
            filters: [ "SetRequestHeader=X-Request-Red, Blue-{segment}" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/proto/**" ]
            filters:
              - name: SetRequestHeader
                args: { name: X-Forwarded-Proto, value: https }
              - name: SetRequestHeader
                args: { name: Accept, value: "application/json, text/plain" }
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void shortcutAddsTheHeaderWhenAbsent() {
    assertThat(upstreamHeaders(kit, "/s/sky").getJsonArray("x-request-red")).isEqualTo(new JsonArray().add("Blue-sky"));
  }

  @Test
  void everyLineTheClientSentIsReplacedWhateverItsCase() throws IOException {
    RawHttp.Response r = RawHttp.get(kit.publicPort(), "/s/sky", "X-Request-Red: one", "x-request-red: two");
    assertThat(r.status()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getJsonObject("headers").getJsonArray("x-request-red")).isEqualTo(new JsonArray().add("Blue-sky"));
  }

  @Test
  void expandedFormOverridesWhatJunctionItselfWouldSend() {
    JsonObject h = upstreamHeaders(kit, "/proto/x", "Accept", "text/html");
    assertThat(h.getJsonArray("x-forwarded-proto")).isEqualTo(new JsonArray().add("https"));
    assertThat(h.getJsonArray("accept")).isEqualTo(new JsonArray().add("application/json, text/plain"));
  }
}
