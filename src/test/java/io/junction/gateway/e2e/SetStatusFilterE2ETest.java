package io.junction.gateway.e2e;

import io.junction.testkit.FreePorts;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.junction.gateway.e2e.E2E.get;
import static org.assertj.core.api.Assertions.assertThat;

/** SetStatus through a running Junction. */
class SetStatusFilterE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("setstatus");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: shortcut
            uri: %1$s
            predicates: [ "Path=/echo/unauthorized/**" ]
            filters: [ "SetStatus=401" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/status/**" ]
            filters:
              - name: SetStatus
                args: { status: I_AM_A_TEAPOT, originalStatusHeaderName: X-Original-Status }
          - id: dead
            uri: http://127.0.0.1:%2$d
            predicates: [ "Path=/dead/**" ]
            filters:
              - name: SetStatus
                args: { status: 503, originalStatusHeaderName: X-Original-Status }
      """.formatted(upstream.url(), FreePorts.next())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void shortcutChangesTheStatusAndKeepsTheUpstreamBody() {
    HttpResponse<String> r = get(kit, "/echo/unauthorized/x");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(r.body()).getString("path")).isEqualTo("/echo/unauthorized/x");
    assertThat(r.headers().firstValue("X-Original-Status")).isEmpty();
  }

  @Test
  void expandedFormStatusByNameAndTheOriginalInAHeader() {
    HttpResponse<String> r = get(kit, "/status/500");
    assertThat(r.statusCode()).isEqualTo(418);
    assertThat(r.body()).isEqualTo("status 500");
    assertThat(r.headers().allValues("X-Original-Status")).containsExactly("500");
  }

  @Test
  void alsoAppliesToJunctionsOwnErrorResponse() {
    HttpResponse<String> r = get(kit, "/dead/x");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().allValues("X-Original-Status")).containsExactly("502");
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("bad_gateway");
  }
}
