package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static io.junction.gateway.e2e.E2E.upstreamHeaders;
import static org.assertj.core.api.Assertions.assertThat;

/** SetRequestHostHeader through a running Junction. */
class SetRequestHostHeaderFilterE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("sethost");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: shortcut
            uri: %1$s
            predicates: [ "Path=/fixed/**" ]
            filters: [ "SetRequestHostHeader=example.org" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Host={sub}.shop.test" ]
            filters:
              - name: SetRequestHostHeader
                args: { host: "{sub}.internal:8443" }
          - id: both
            uri: %1$s
            predicates: [ "Path=/both/**" ]
            filters: [ "PreserveHostHeader", "SetRequestHostHeader=wins.example.org" ]
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void shortcutSetsAFixedHost() {
    JsonObject h = upstreamHeaders(kit, "/fixed/x");
    assertThat(h.getString("host")).isEqualTo("example.org");
    assertThat(h.getString("x-forwarded-host")).as("the client's Host is still passed on").isEqualTo("127.0.0.1:" + kit.publicPort());
  }

  @Test
  void expandedFormWithAHostVariableAndPort() throws IOException {
    RawHttp.Response r = RawHttp.get(kit.publicPort(), "/any", "Host: blue.shop.test");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getJsonObject("headers").getString("host")).isEqualTo("blue.internal:8443");
  }

  @Test
  void winsOverPreserveHostHeader() throws IOException {
    RawHttp.Response r = RawHttp.get(kit.publicPort(), "/both/x", "Host: client.test");
    assertThat(new JsonObject(r.body()).getJsonObject("headers").getString("host")).isEqualTo("wins.example.org");
  }
}
