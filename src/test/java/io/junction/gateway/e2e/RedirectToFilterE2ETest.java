package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static io.junction.gateway.e2e.E2E.get;
import static org.assertj.core.api.Assertions.assertThat;

/** RedirectTo through a running Junction: answered by the gateway, the upstream is never called. */
class RedirectToFilterE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("redirect");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: shortcut
            uri: %1$s
            predicates: [ "Path=/old/**" ]
            filters: [ "RedirectTo=302, https://acme.org" ]
          - id: with-query
            uri: %1$s
            predicates: [ "Path=/moved/**" ]
            filters: [ "RedirectTo=301, https://acme.org/new?src=gw, true" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/perm/**" ]
            filters:
              - name: RedirectTo
                args: { status: PERMANENT_REDIRECT, url: "https://acme.org/p#top", includeRequestParams: true }
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void shortcutAnswersTheRedirectItself() {
    int before = upstream.requests();
    HttpResponse<String> r = get(kit, "/old/page?x=1");
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().allValues("Location")).containsExactly("https://acme.org");
    assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
    HttpResponse<String> post = JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri("/old/form"))
      .POST(HttpRequest.BodyPublishers.ofString("a=1")).build());
    assertThat(post.statusCode()).isEqualTo(302);
    assertThat(upstream.requests()).isEqualTo(before);
  }

  @Test
  void includeRequestParamsAppendsToTheUrlsOwnQuery() {
    HttpResponse<String> r = get(kit, "/moved?a=1&b=x%20y");
    assertThat(r.statusCode()).isEqualTo(301);
    assertThat(r.headers().firstValue("Location")).hasValue("https://acme.org/new?src=gw&a=1&b=x%20y");
    assertThat(get(kit, "/moved").headers().firstValue("Location")).as("no query: the url as configured")
      .hasValue("https://acme.org/new?src=gw");
  }

  @Test
  void expandedFormStatusByNameAndTheQueryGoesBeforeTheFragment() {
    HttpResponse<String> r = get(kit, "/perm?x=1");
    assertThat(r.statusCode()).isEqualTo(308);
    assertThat(r.headers().firstValue("Location")).hasValue("https://acme.org/p?x=1#top");
  }
}
