package io.junction.gateway.e2e;

import io.junction.testkit.FreePorts;
import io.junction.testkit.JunctionTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.junction.gateway.e2e.E2E.get;
import static io.junction.gateway.e2e.ProbeUpstream.rh;
import static org.assertj.core.api.Assertions.assertThat;

/** AddResponseHeader through a running Junction. */
class AddResponseHeaderFilterE2ETest {
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
            predicates: [ "Path=/r/{segment}" ]
            filters: [ "AddResponseHeader=X-Response-Red, Blue-{segment}" ]
          - id: if-absent
            uri: %1$s
            predicates: [ "Path=/keep/**" ]
            filters: [ "AddResponseHeader=X-Cache, gateway, false" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/csv/**" ]
            filters:
              - name: AddResponseHeader
                args: { name: Link, value: "</a>; rel=next, </b>; rel=last" }
          - id: dead
            uri: http://127.0.0.1:%2$d
            predicates: [ "Path=/dead/**" ]
            filters: [ "AddResponseHeader=X-Served-By, junction" ]
      """.formatted(upstream.url(), FreePorts.next())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void shortcutAddsAResponseHeaderWithAUriVariable() {
    HttpResponse<String> r = get(kit, "/r/sky");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().allValues("X-Response-Red")).containsExactly("Blue-sky");
  }

  @Test
  void byDefaultTheUpstreamsLinesAreKeptAndOneIsAdded() {
    HttpResponse<String> r = get(kit, "/r/sky?" + rh("X-Response-Red", "upstream"));
    assertThat(r.headers().allValues("X-Response-Red")).containsExactly("upstream", "Blue-sky");
  }

  @Test
  void withOverrideFalseOnlyWhenTheUpstreamSentNone() {
    assertThat(get(kit, "/keep/x?" + rh("X-Cache", "HIT")).headers().allValues("X-Cache")).containsExactly("HIT");
    assertThat(get(kit, "/keep/x").headers().allValues("X-Cache")).containsExactly("gateway");
  }

  @Test
  void expandedFormValueWithCommas() {
    assertThat(get(kit, "/csv/x").headers().allValues("Link")).containsExactly("</a>; rel=next, </b>; rel=last");
  }

  @Test
  void alsoOnJunctionsOwnErrorResponse() {
    HttpResponse<String> r = get(kit, "/dead/x");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.headers().allValues("X-Served-By")).containsExactly("junction");
  }
}
