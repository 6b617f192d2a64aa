package io.junction.gateway;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** RemoteAddr believes X-Forwarded-For only when the connection comes from a configured trusted proxy. */
class TrustedProxiesTest {

  private static int status(JunctionTestKit kit, String forwardedFor) {
    HttpRequest.Builder b = HttpRequest.newBuilder(kit.publicUri("/office/x"));
    if (forwardedFor != null) {
      b.header("X-Forwarded-For", forwardedFor);
    }
    return JunctionTestKit.send(b.build()).statusCode();
  }

  private static int limited(JunctionTestKit kit, String forwardedFor) {
    return JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri("/limited/x")).header("X-Forwarded-For", forwardedFor).build()).statusCode();
  }

  private static String config(TestUpstream upstream, String trusted) {
    return """
      gateway:
        %s
        routes:
          - id: office
            uri: %s
            predicates: [ "Path=/office/**", "RemoteAddr=203.0.113.0/24" ]
          - id: limited
            uri: %2$s
            predicates: [ "Path=/limited/**" ]
            filters:
              - name: RequestRateLimiter
                args: { replenishRate: 1, burstCapacity: 1, keyResolver: ip }
      """.formatted(trusted, upstream.url());
  }

  @Test
  void forwardedForCountsOnlyFromTrustedProxies() throws Exception {
    try (TestUpstream upstream = new TestUpstream("office")) {
      try (JunctionTestKit kit = JunctionTestKit.builder().yaml(config(upstream, "trusted-proxies: [ 127.0.0.0/8, 10.0.0.0/8 ]")).start()) {
        assertThat(status(kit, "203.0.113.9")).isEqualTo(200);
        assertThat(status(kit, "203.0.113.9, 10.1.2.3")).as("trusted hops on the right are skipped").isEqualTo(200);
        assertThat(status(kit, "203.0.113.9, 198.51.100.1")).as("the right-most untrusted hop is the client").isEqualTo(404);
        assertThat(status(kit, null)).isEqualTo(404);
        assertThat(limited(kit, "198.51.100.1")).isEqualTo(200);
        assertThat(limited(kit, "198.51.100.2")).as("rate limits key on the forwarded client, not on the proxy").isEqualTo(200);
        assertThat(limited(kit, "198.51.100.1")).isEqualTo(429);
      }
      try (JunctionTestKit kit = JunctionTestKit.builder().yaml(config(upstream, "trusted-proxies: []")).start()) {
        assertThat(status(kit, "203.0.113.9")).as("a client cannot claim an address by header").isEqualTo(404);
      }
    }
  }
}
