package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static io.junction.gateway.e2e.E2E.echo;
import static io.junction.gateway.e2e.E2E.get;
import static org.assertj.core.api.Assertions.assertThat;

/** XForwardedRemoteAddr predicate through a running Junction. */
class XForwardedRemoteAddrPredicateE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("xff");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: lan
            uri: %1$s
            predicates: [ "Path=/lan/**", "XForwardedRemoteAddr=192.168.0.0/16, 172.16.0.0/12" ]
            filters: [ "AddRequestHeader=X-Route, lan" ]
          - id: two-proxies
            uri: %1$s
            predicates:
              - Path=/two/**
              - name: XForwardedRemoteAddr
                args: { sources: [ 203.0.113.0/24 ], maxTrustedIndex: 2 }
            filters: [ "AddRequestHeader=X-Route, two-proxies" ]
          - id: direct
            uri: %1$s
            predicates: [ "Path=/direct/**", "XForwardedRemoteAddr=127.0.0.1" ]
            filters: [ "AddRequestHeader=X-Route, direct" ]
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  private static String route(String path, String... xff) {
    String[] headers = new String[xff.length * 2];
    for (int i = 0; i < xff.length; i++) {
      headers[2 * i] = "X-Forwarded-For";
      headers[2 * i + 1] = xff[i];
    }
    var r = get(kit, path, headers);
    if (r.statusCode() == 404) {
      return null;
    }
    return echo(r).getJsonObject("headers").getString("x-route");
  }

  @Test
  void shortcutUsesTheRightMostValue() {
    JsonObject echo = echo(get(kit, "/lan/x", "X-Forwarded-For", "192.168.1.5"));
    assertThat(echo.getJsonObject("headers").getString("x-route")).isEqualTo("lan");
    assertThat(echo.getJsonObject("headers").getString("x-forwarded-for")).as("Junction appends its peer")
      .isEqualTo("192.168.1.5, 127.0.0.1");
    assertThat(route("/lan/x", "10.0.0.1, 172.20.0.9")).isEqualTo("lan");
    assertThat(route("/lan/x", "192.168.1.5, 10.0.0.1")).as("only the right-most value is trusted").isNull();
    assertThat(route("/lan/x", "not-an-ip")).isNull();
  }

  @Test
  void withoutTheHeaderThePeerAddressIsUsed() {
    assertThat(route("/lan/x")).isNull();
    assertThat(route("/direct/x")).isEqualTo("direct");
  }

  @Test
  void severalHeaderLinesAreNotTrustedAndThePeerIsUsed() throws IOException {
    RawHttp.Response r = RawHttp.get(kit.publicPort(), "/lan/x", "X-Forwarded-For: 192.168.1.5", "X-Forwarded-For: 192.168.1.6");
    assertThat(r.status()).isEqualTo(404);
    RawHttp.Response direct = RawHttp.get(kit.publicPort(), "/direct/x", "X-Forwarded-For: 192.168.1.5", "X-Forwarded-For: 192.168.1.6");
    assertThat(direct.status()).isEqualTo(200);
  }

  @Test
  void severalHeaderLinesReachTheUpstreamAsOneChain() throws IOException {
    // RFC 9110 §5.3: several lines of a list header mean the same as one comma-joined line; a proxy may join
    // them but not drop any (a proxy in front that appends its own line would otherwise lose its entry)
    RawHttp.Response r = RawHttp.get(kit.publicPort(), "/direct/x", "X-Forwarded-For: 192.168.1.5", "X-Forwarded-For: 192.168.1.6");
    assertThat(r.status()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getJsonObject("headers").getString("x-forwarded-for"))
      .isEqualTo("192.168.1.5, 192.168.1.6, 127.0.0.1");
  }

  @Test
  void expandedFormMaxTrustedIndexSkipsThatManyProxies() {
    assertThat(route("/two/x", "203.0.113.9, 10.0.0.1")).isEqualTo("two-proxies");
    assertThat(route("/two/x", "198.51.100.1, 203.0.113.9, 10.0.0.1")).isEqualTo("two-proxies");
    assertThat(route("/two/x", "10.0.0.1, 203.0.113.9")).isNull();
    assertThat(route("/two/x", "203.0.113.9")).as("fewer values than the index: the left-most").isEqualTo("two-proxies");
  }
}
