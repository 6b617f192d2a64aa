package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.junction.gateway.e2e.E2E.echo;
import static org.assertj.core.api.Assertions.assertThat;

/** PrefixPath through a running Junction. */
class PrefixPathFilterE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("prefix");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: shortcut
            uri: %1$s
            predicates: [ "Path=/hello/**" ]
            filters: [ "PrefixPath=/mypath" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/items/**" ]
            filters:
              - name: PrefixPath
                args: { prefix: "/v2/" }
          - id: tenant
            uri: %1$s
            predicates: [ "Host={tenant}.shop.test" ]
            filters: [ "PrefixPath=/tenants/{tenant}" ]
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  private static String uri(String path) {
    return echo(kit, path).getString("uri");
  }

  @Test
  void shortcutPrefixesThePathAndKeepsTheQuery() {
    assertThat(uri("/hello")).isEqualTo("/mypath/hello");
    assertThat(uri("/hello/a%20b?q=1")).isEqualTo("/mypath/hello/a%20b?q=1");
  }

  @Test
  void expandedFormTrailingSlashOfThePrefixIsDropped() {
    assertThat(uri("/items/5")).isEqualTo("/v2/items/5");
  }

  @Test
  void prefixWithAUriVariable() throws Exception {
    RawHttp.Response r = RawHttp.get(kit.publicPort(), "/orders/7", "Host: acme.shop.test");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(new io.vertx.core.json.JsonObject(r.body()).getString("uri")).isEqualTo("/tenants/acme/orders/7");
  }
}
