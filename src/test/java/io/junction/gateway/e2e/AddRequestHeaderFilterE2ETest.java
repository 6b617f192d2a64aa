package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.junction.gateway.e2e.E2E.get;
import static io.junction.gateway.e2e.E2E.upstreamHeaders;
import static org.assertj.core.api.Assertions.assertThat;

/** AddRequestHeader through a running Junction. */
class AddRequestHeaderFilterE2ETest {
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
            predicates: [ "Path=/red/{segment}" ]
            filters: [ "AddRequestHeader=X-Request-Red, Blue-{segment}" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/plain/**" ]
            filters:
              - name: AddRequestHeader
                args: { name: X-Request-Color, value: "green, with a comma" }
          - id: missing-variable
            uri: %1$s
            predicates: [ "Path=/novar/**" ]
            filters: [ "AddRequestHeader=X-Id, {id}" ]
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void shortcutAddsTheHeaderWithAUriVariable() {
    HttpResponse<String> r = get(kit, "/red/sky");
    assertThat(new JsonObject(r.body()).getJsonObject("headers").getJsonArray("x-request-red")).isEqualTo(new JsonArray().add("Blue-sky"));
    assertThat(r.headers().firstValue("X-Request-Red")).as("a request header, not a response header").isEmpty();
  }

  @Test
  void theClientsOwnValuesAreKept() {
    JsonObject h = upstreamHeaders(kit, "/red/sky", "X-Request-Red", "mine");
    assertThat(h.getJsonArray("x-request-red")).isEqualTo(new JsonArray().add("mine").add("Blue-sky"));
  }

  @Test
  void expandedFormValueMayContainACommaAndIsNotSplit() {
    JsonObject h = upstreamHeaders(kit, "/plain/x");
    assertThat(h.getJsonArray("x-request-color")).isEqualTo(new JsonArray().add("green, with a comma"));
  }

  @Test
  void aVariableTheRouteNeverCapturesFailsTheRequestWithoutCallingTheUpstream() {
    int before = upstream.requests();
    HttpResponse<String> r = get(kit, "/novar/x");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(new JsonObject(r.body()).getString("message")).contains("AddRequestHeader", "'missing-variable'", "'id'");
    assertThat(upstream.requests()).isEqualTo(before);
  }
}
