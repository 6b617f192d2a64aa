package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.junction.gateway.e2e.E2E.get;
import static io.junction.gateway.e2e.ProbeUpstream.rh;
import static org.assertj.core.api.Assertions.assertThat;

/** DedupeResponseHeader through a running Junction: the upstream and the gateway both add CORS headers. */
class DedupeResponseHeaderFilterE2ETest {
  static ProbeUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new ProbeUpstream();
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: retain-first
            uri: %1$s
            predicates: [ "Path=/first/**" ]
            filters:
              - DedupeResponseHeader=Access-Control-Allow-Credentials Access-Control-Allow-Origin
              - AddResponseHeader=Access-Control-Allow-Origin, https://gateway.test
              - AddResponseHeader=Access-Control-Allow-Credentials, true
          - id: retain-last
            uri: %1$s
            predicates: [ "Path=/last/**" ]
            filters: [ "DedupeResponseHeader=X-Dup, RETAIN_LAST" ]
          - id: retain-unique
            uri: %1$s
            predicates: [ "Path=/unique/**" ]
            filters:
              - name: DedupeResponseHeader
                args: { name: "X-A X-B", strategy: RETAIN_UNIQUE }
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void retainFirstIsTheDefaultAndKeepsTheUpstreamsLine() {
    HttpResponse<String> r = get(kit, "/first/x?" + rh("Access-Control-Allow-Origin", "https://app.test")
      + "&" + rh("Access-Control-Allow-Credentials", "true"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().allValues("Access-Control-Allow-Origin")).containsExactly("https://app.test");
    assertThat(r.headers().allValues("Access-Control-Allow-Credentials")).containsExactly("true");
  }

  @Test
  void aSingleLineIsLeftAlone() {
    HttpResponse<String> r = get(kit, "/first/x");
    assertThat(r.headers().allValues("Access-Control-Allow-Origin")).containsExactly("https://gateway.test");
  }

  @Test
  void retainLast() {
    HttpResponse<String> r = get(kit, "/last/x?" + rh("X-Dup", "1") + "&" + rh("X-Dup", "2") + "&" + rh("X-Dup", "3"));
    assertThat(r.headers().allValues("X-Dup")).containsExactly("3");
  }

  @Test
  void expandedFormRetainUniqueOverSeveralNames() {
    HttpResponse<String> r = get(kit, "/unique/x?" + rh("X-A", "a") + "&" + rh("X-A", "b") + "&" + rh("X-A", "a")
      + "&" + rh("X-B", "x") + "&" + rh("X-B", "x") + "&" + rh("X-C", "c") + "&" + rh("X-C", "c"));
    assertThat(r.headers().allValues("X-A")).containsExactly("a", "b");
    assertThat(r.headers().allValues("X-B")).containsExactly("x");
    assertThat(r.headers().allValues("X-C")).as("not listed: untouched").containsExactly("c", "c");
  }
}
