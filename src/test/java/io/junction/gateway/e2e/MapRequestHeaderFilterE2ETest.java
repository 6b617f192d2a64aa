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

/** MapRequestHeader through a running Junction. */
class MapRequestHeaderFilterE2ETest {
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
            predicates: [ "Path=/map/**" ]
            filters: [ "MapRequestHeader=Blue, X-Request-Red" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/tenant/**" ]
            filters:
              - name: MapRequestHeader
                args: { fromHeader: X-Tenant, toHeader: X-Org }
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void everyValueIsCopiedAfterExistingOnesAndTheSourceIsKept() throws IOException {
    RawHttp.Response r = RawHttp.get(kit.publicPort(), "/map/x", "Blue: b1", "blue: b2", "X-Request-Red: r");
    assertThat(r.status()).isEqualTo(200);
    JsonObject h = new JsonObject(r.body()).getJsonObject("headers");
    assertThat(h.getJsonArray("x-request-red")).isEqualTo(new JsonArray().add("r").add("b1").add("b2"));
    assertThat(h.getJsonArray("blue")).isEqualTo(new JsonArray().add("b1").add("b2"));
  }

  @Test
  void withoutTheSourceNothingIsAdded() {
    assertThat(upstreamHeaders(kit, "/map/x").containsKey("x-request-red")).isFalse();
  }

  @Test
  void expandedForm() {
    JsonObject h = upstreamHeaders(kit, "/tenant/x", "X-Tenant", "acme");
    assertThat(h.getJsonArray("x-org")).isEqualTo(new JsonArray().add("acme"));
    assertThat(h.getJsonArray("x-tenant")).isEqualTo(new JsonArray().add("acme"));
  }
}
