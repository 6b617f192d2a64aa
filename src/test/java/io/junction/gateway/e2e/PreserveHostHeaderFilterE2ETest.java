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

/** PreserveHostHeader through a running Junction. */
class PreserveHostHeaderFilterE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("preserve");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: shortcut
            uri: %1$s
            predicates: [ "Path=/keep/**" ]
            filters: [ "PreserveHostHeader" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/keep2/**" ]
            filters:
              - name: PreserveHostHeader
          - id: plain
            uri: %1$s
            predicates: [ "Path=/plain/**" ]
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  private static JsonObject headers(String path, String host) throws IOException {
    RawHttp.Response r = RawHttp.get(kit.publicPort(), path, "Host: " + host);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getJsonObject("headers");
  }

  @Test
  void theUpstreamGetsTheClientsHost() throws IOException {
    assertThat(headers("/keep/x", "shop.example.test").getString("host")).isEqualTo("shop.example.test");
    assertThat(headers("/keep/x", "shop.example.test:8443").getString("host")).isEqualTo("shop.example.test:8443");
    assertThat(upstreamHeaders(kit, "/keep/x").getString("host")).isEqualTo("127.0.0.1:" + kit.publicPort());
  }

  @Test
  void expandedFormWithoutArgs() throws IOException {
    assertThat(headers("/keep2/x", "shop.example.test").getString("host")).isEqualTo("shop.example.test");
  }

  @Test
  void withoutTheFilterTheUpstreamGetsItsOwnHost() throws IOException {
    JsonObject h = headers("/plain/x", "shop.example.test");
    assertThat(h.getString("host")).isEqualTo("127.0.0.1:" + upstream.port());
    assertThat(h.getString("x-forwarded-host")).isEqualTo("shop.example.test");
  }
}
