package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RemoteAddr predicate through a running Junction. Clients connect from different loopback addresses
 * (127.0.0.1, 127.0.0.2, 127.0.0.3: all of 127/8 is loopback on Linux); 127.0.0.3 is a trusted proxy.
 */
class RemoteAddrPredicateE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("remote");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        trusted-proxies: [ 127.0.0.3/32 ]
        routes:
          - id: second-loopback
            uri: %1$s
            order: -1
            predicates:
              - Path=/r/**
              - name: RemoteAddr
                args: { sources: [ 127.0.0.2 ] }
            filters: [ "AddRequestHeader=X-Route, second-loopback" ]
          - id: local
            uri: %1$s
            predicates: [ "Path=/r/**", "RemoteAddr=127.0.0.1/32, 192.168.1.1/24" ]
            filters: [ "AddRequestHeader=X-Route, local" ]
          - id: private
            uri: %1$s
            predicates: [ "Path=/private/**", "RemoteAddr=10.0.0.0/8" ]
            filters: [ "AddRequestHeader=X-Route, private" ]
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  private static RawHttp.Response from(String local, String path, String... headers) throws IOException {
    return RawHttp.send(local, kit.publicPort(), "GET", path, headers);
  }

  private static JsonObject headers(RawHttp.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getJsonObject("headers");
  }

  @Test
  void shortcutBlocksMatchThePeerAddress() throws IOException {
    JsonObject h = headers(from("127.0.0.1", "/r/x"));
    assertThat(h.getString("x-route")).isEqualTo("local");
    assertThat(h.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
  }

  @Test
  void expandedFormSingleAddressWithoutPrefixLength() throws IOException {
    JsonObject h = headers(from("127.0.0.2", "/r/x"));
    assertThat(h.getString("x-route")).isEqualTo("second-loopback");
    assertThat(h.getString("x-forwarded-for")).isEqualTo("127.0.0.2");
  }

  @Test
  void anAddressInNoBlockMatchesNoRoute() throws IOException {
    RawHttp.Response r = from("127.0.0.4", "/r/x");
    assertThat(r.status()).isEqualTo(404);
    assertThat(from("127.0.0.1", "/private/x").status()).isEqualTo(404);
  }

  @Test
  void xForwardedForFromAnUntrustedPeerIsIgnored() throws IOException {
    assertThat(from("127.0.0.1", "/private/x", "X-Forwarded-For: 10.1.2.3").status()).isEqualTo(404);
    assertThat(headers(from("127.0.0.1", "/r/x", "X-Forwarded-For: 10.1.2.3")).getString("x-route"))
      .as("the spoofed header does not change the peer").isEqualTo("local");
  }

  @Test
  void behindATrustedProxyTheForwardedClientIsMatched() throws IOException {
    JsonObject h = headers(from("127.0.0.3", "/private/x", "X-Forwarded-For: 10.1.2.3"));
    assertThat(h.getString("x-route")).isEqualTo("private");
    assertThat(h.getString("x-forwarded-for")).isEqualTo("10.1.2.3, 127.0.0.3");
    assertThat(from("127.0.0.3", "/private/x").status()).as("no header: the proxy itself is the client").isEqualTo(404);
  }
}
