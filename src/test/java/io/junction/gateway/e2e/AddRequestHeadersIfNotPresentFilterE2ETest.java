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

/** AddRequestHeadersIfNotPresent through a running Junction. */
class AddRequestHeadersIfNotPresentFilterE2ETest {
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
            predicates: [ "Path=/t/{tier}" ]
            filters: [ "AddRequestHeadersIfNotPresent=X-Color:blue, X-Color:green, X-Tier:{tier}" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/url/**" ]
            filters:
              - name: AddRequestHeadersIfNotPresent
                args: { keyValues: [ "X-Callback:http://cb.test:8080/done", "x-callback:http://cb.test:8080/again" ] }
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void addsEveryConfiguredValueWhenTheClientSentNone() {
    JsonObject h = upstreamHeaders(kit, "/t/gold");
    assertThat(h.getJsonArray("x-color")).isEqualTo(new JsonArray().add("blue").add("green"));
    assertThat(h.getJsonArray("x-tier")).isEqualTo(new JsonArray().add("gold"));
  }

  @Test
  void aHeaderTheClientSentIsLeftAloneWhateverItsCase() {
    JsonObject h = upstreamHeaders(kit, "/t/gold", "x-COLOR", "red");
    assertThat(h.getJsonArray("x-color")).isEqualTo(new JsonArray().add("red"));
    assertThat(h.getJsonArray("x-tier")).as("the other header is still added").isEqualTo(new JsonArray().add("gold"));
  }

  @Test
  void aBlankClientValueCountsAsAbsent() throws IOException {
    RawHttp.Response r = RawHttp.get(kit.publicPort(), "/t/gold", "X-Color: ");
    JsonObject h = new JsonObject(r.body()).getJsonObject("headers");
    assertThat(h.getJsonArray("x-color")).isEqualTo(new JsonArray().add("blue").add("green"));
  }

  @Test
  void expandedFormValuesMayContainColonsAndNamesGroupIgnoringCase() {
    JsonObject h = upstreamHeaders(kit, "/url/x");
    assertThat(h.getJsonArray("x-callback")).isEqualTo(new JsonArray().add("http://cb.test:8080/done").add("http://cb.test:8080/again"));
    assertThat(upstreamHeaders(kit, "/url/x", "X-Callback", "mine").getJsonArray("x-callback")).isEqualTo(new JsonArray().add("mine"));
  }
}
