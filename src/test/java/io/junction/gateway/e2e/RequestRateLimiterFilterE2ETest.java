package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.junction.gateway.e2e.E2E.get;
import static org.assertj.core.api.Assertions.assertThat;

/** RequestRateLimiter (node-local buckets) through a running Junction. */
class RequestRateLimiterFilterE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("rate");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: by-key
            uri: %1$s
            predicates: [ "Path=/echo/keyed/**" ]
            filters: [ "RequestRateLimiter=1, 2, 1, header:X-Api-Key" ]
          - id: spring-spelling
            uri: %1$s
            predicates: [ "Path=/echo/shared/**" ]
            filters:
              - name: RequestRateLimiter
                args: { redis-rate-limiter.replenishRate: 1, redis-rate-limiter.burstCapacity: 3, key-resolver: route }
          - id: by-user
            uri: %1$s
            predicates: [ "Path=/echo/user/**" ]
            filters:
              - name: RequestRateLimiter
                args: { replenishRate: 5, keyResolver: user }
          - id: lenient
            uri: %1$s
            predicates: [ "Path=/echo/lenient/**" ]
            filters:
              - name: RequestRateLimiter
                args: { replenishRate: 1, burstCapacity: 1, keyResolver: "header:X-Key", denyEmptyKey: false }
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void eachKeyHasItsOwnBucketAndTheBurstIsThenRefused() throws InterruptedException {
    HttpResponse<String> first = get(kit, "/echo/keyed/x", "X-Api-Key", "alice");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("X-RateLimit-Remaining")).hasValue("1");
    assertThat(first.headers().firstValue("X-RateLimit-Burst-Capacity")).hasValue("2");
    assertThat(first.headers().firstValue("X-RateLimit-Replenish-Rate")).hasValue("1");
    assertThat(first.headers().firstValue("X-RateLimit-Requested-Tokens")).hasValue("1");
    assertThat(get(kit, "/echo/keyed/x", "X-Api-Key", "alice").statusCode()).isEqualTo(200);

    int before = upstream.requests();
    HttpResponse<String> refused = get(kit, "/echo/keyed/x", "X-Api-Key", "alice");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    JsonObject body = new JsonObject(refused.body());
    assertThat(body.getString("error")).isEqualTo("rate_limited");
    assertThat(body.getString("message")).contains("by-key");
    assertThat(upstream.requests()).as("a refused request never reaches the upstream").isEqualTo(before);

    assertThat(get(kit, "/echo/keyed/x", "X-Api-Key", "bob").statusCode()).as("another key").isEqualTo(200);

    Thread.sleep(1100);
    assertThat(get(kit, "/echo/keyed/x", "X-Api-Key", "alice").statusCode()).as("one token back after a second").isEqualTo(200);
  }

  @Test
  void aMissingKeyIsRefusedWith403ByDefault() {
    HttpResponse<String> r = get(kit, "/echo/keyed/x");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(r.body()).getString("message")).contains("no rate limit key");
    assertThat(get(kit, "/echo/user/x").statusCode()).as("keyResolver user and nobody signed in").isEqualTo(403);
  }

  @Test
  void springSpellingAndOneBucketForTheWholeRoute() {
    int ok = 0;
    for (int i = 0; i < 3; i++) {
      ok += get(kit, "/echo/shared/x", "X-Api-Key", "k" + i).statusCode() == 200 ? 1 : 0;
    }
    assertThat(ok).isEqualTo(3);
    HttpResponse<String> refused = get(kit, "/echo/shared/x", "X-Api-Key", "someone-else");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("X-RateLimit-Burst-Capacity")).hasValue("3");
  }

  @Test
  void denyEmptyKeyFalseLetsRequestsWithoutAKeyThroughUnlimited() {
    for (int i = 0; i < 4; i++) {
      assertThat(get(kit, "/echo/lenient/x").statusCode()).isEqualTo(200);
    }
    assertThat(get(kit, "/echo/lenient/x", "X-Key", "k").statusCode()).isEqualTo(200);
    assertThat(get(kit, "/echo/lenient/x", "X-Key", "k").statusCode()).isEqualTo(429);
  }
}
