package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.junction.gateway.e2e.E2E.get;
import static io.junction.gateway.e2e.ProbeUpstream.rh;
import static org.assertj.core.api.Assertions.assertThat;

/** SetResponseHeader through a running Junction. */
class SetResponseHeaderFilterE2ETest {
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
            filters: [ "SetResponseHeader=X-Response-Red, Blue-{segment}" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/cc/**" ]
            filters:
              - name: SetResponseHeader
                args: { name: Cache-Control, value: "no-store, max-age=0" }
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void addsTheHeaderWhenTheUpstreamSentNone() {
    HttpResponse<String> r = get(kit, "/s/sky");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().allValues("X-Response-Red")).containsExactly("Blue-sky");
  }

  @Test
  void replacesEveryLineTheUpstreamSent() {
    HttpResponse<String> r = get(kit, "/s/sky?" + rh("X-Response-Red", "one") + "&" + rh("x-response-red", "two"));
    assertThat(r.headers().allValues("X-Response-Red")).containsExactly("Blue-sky");
  }

  @Test
  void expandedFormValueWithACommaIsOneValue() {
    HttpResponse<String> r = get(kit, "/cc/x?" + rh("Cache-Control", "public, max-age=600"));
    assertThat(r.headers().allValues("Cache-Control")).containsExactly("no-store, max-age=0");
  }
}
