package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.junction.gateway.e2e.E2E.get;
import static io.junction.gateway.e2e.ProbeUpstream.rh;
import static org.assertj.core.api.Assertions.assertThat;

/** RemoveResponseHeader through a running Junction. */
class RemoveResponseHeaderFilterE2ETest {
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
            filters: [ "RemoveResponseHeader=X-Response-Foo" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/server/**" ]
            filters:
              - name: RemoveResponseHeader
                args: { name: Server }
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void everyLineOfTheHeaderIsRemovedWhateverItsCase() {
    HttpResponse<String> r = get(kit, "/foo/x?" + rh("X-Response-Foo", "1") + "&" + rh("x-response-foo", "2") + "&" + rh("X-Keep", "yes"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().allValues("X-Response-Foo")).isEmpty();
    assertThat(r.headers().allValues("X-Keep")).containsExactly("yes");
  }

  @Test
  void expandedFormHidesTheUpstreamsServerHeader() {
    assertThat(get(kit, "/server/x?" + rh("Server", "backend/1.2.3")).headers().allValues("Server")).isEmpty();
    assertThat(get(kit, "/foo/x?" + rh("Server", "backend/1.2.3")).headers().allValues("Server"))
      .as("other routes still pass it").containsExactly("backend/1.2.3");
  }
}
