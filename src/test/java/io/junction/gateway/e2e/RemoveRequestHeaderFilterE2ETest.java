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

/** RemoveRequestHeader through a running Junction. */
class RemoveRequestHeaderFilterE2ETest {
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
            predicates: [ "Path=/foo/**" ]
            filters: [ "RemoveRequestHeader=X-Request-Foo" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/nocookie/**" ]
            filters:
              - name: RemoveRequestHeader
                args: { name: Cookie }
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void everyLineOfTheHeaderIsRemovedWhateverItsCase() throws IOException {
    RawHttp.Response r = RawHttp.get(kit.publicPort(), "/foo/x", "X-Request-Foo: 1", "x-request-foo: 2", "X-Keep: yes");
    assertThat(r.status()).isEqualTo(200);
    JsonObject h = new JsonObject(r.body()).getJsonObject("headers");
    assertThat(h.containsKey("x-request-foo")).isFalse();
    assertThat(h.getJsonArray("x-keep")).isEqualTo(new JsonArray().add("yes"));
  }

  @Test
  void expandedFormRemovesCookies() {
    JsonObject h = upstreamHeaders(kit, "/nocookie/x", "Cookie", "session=secret", "X-Keep", "yes");
    assertThat(h.containsKey("cookie")).isFalse();
    assertThat(h.getJsonArray("x-keep")).isEqualTo(new JsonArray().add("yes"));
    assertThat(upstreamHeaders(kit, "/foo/x", "Cookie", "session=secret").getJsonArray("cookie"))
      .as("other routes still forward it").isEqualTo(new JsonArray().add("session=secret"));
  }
}
