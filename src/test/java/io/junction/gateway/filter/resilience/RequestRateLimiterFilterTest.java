package io.junction.gateway.filter.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ItemDefinition;
import io.junction.testkit.FreePorts;
import io.junction.testkit.TestRedis;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestRateLimiterFilterTest {
  private final RequestRateLimiterFilter.Factory factory = new RequestRateLimiterFilter.Factory();
  private ResilienceTestBed bed;

  @BeforeEach
  void start() throws Exception {
    // a fresh route id per test: Redis buckets are keyed by route and the server is shared
    bed = new ResilienceTestBed("rl-" + UUID.randomUUID());
  }

  @AfterEach
  void stop() throws Exception {
    bed.close();
  }

  @Test
  void allowsTheBurstThenRefusesWith429AndRetryAfter() throws Exception {
    bed.use(bed.create(factory, Map.of("replenishRate", 1, "burstCapacity", 3, "keyResolver", "route")));

    for (int remaining = 2; remaining >= 0; remaining--) {
      HttpResponse<String> ok = bed.get("/x");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(header(ok, "X-RateLimit-Remaining")).isEqualTo(String.valueOf(remaining));
      assertThat(header(ok, "X-RateLimit-Replenish-Rate")).isEqualTo("1");
      assertThat(header(ok, "X-RateLimit-Burst-Capacity")).isEqualTo("3");
      assertThat(header(ok, "X-RateLimit-Requested-Tokens")).isEqualTo("1");
    }
    HttpResponse<String> refused = bed.get("/x");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(new JsonObject(refused.body()).getString("error")).isEqualTo("rate_limited");
    assertThat(header(refused, "Retry-After")).isEqualTo("1");
    assertThat(header(refused, "X-RateLimit-Remaining")).isEqualTo("0");
    assertThat(header(refused, "Content-Type")).isEqualTo("application/json");
    assertThat(bed.upstream.attempts()).isEqualTo(3);
    assertThat(bed.counter(RequestRateLimiterFilter.METRIC)).isEqualTo(1);
  }

  @Test
  void refillsOverTime() throws Exception {
    bed.use(bed.create(factory, Map.of("replenishRate", 4, "burstCapacity", 4, "requestedTokens", 4, "keyResolver", "route")));
    assertThat(bed.get("/x").statusCode()).isEqualTo(200);
    assertThat(bed.get("/x").statusCode()).isEqualTo(429);

    Thread.sleep(1100); // 4 tokens at 4 a second take 1 s
    assertThat(bed.get("/x").statusCode()).isEqualTo(200);
  }

  @Test
  void retryAfterCoversTheTokensMissing() throws Exception {
    bed.use(bed.create(factory, Map.of("replenishRate", 1, "burstCapacity", 60, "requestedTokens", 60, "keyResolver", "route")));
    assertThat(bed.get("/x").statusCode()).isEqualTo(200);
    HttpResponse<String> refused = bed.get("/x");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(header(refused, "Retry-After"))).isBetween(59L, 60L);
  }

  @Test
  void differentKeysHaveTheirOwnBuckets() throws Exception {
    bed.use(bed.create(factory, Map.of("replenishRate", 1, "burstCapacity", 1, "keyResolver", "header:X-Api-Key")));
    assertThat(bed.get("/x", "X-Api-Key", "a").statusCode()).isEqualTo(200);
    assertThat(bed.get("/x", "X-Api-Key", "a").statusCode()).isEqualTo(429);
    assertThat(bed.get("/x", "X-Api-Key", "b").statusCode()).isEqualTo(200);
    assertThat(bed.get("/x", "X-Api-Key", "x".repeat(500)).statusCode()).isEqualTo(200);
    assertThat(bed.get("/x", "X-Api-Key", "x".repeat(500)).statusCode()).isEqualTo(429);
  }

  @Test
  void ipKeys() throws Exception {
    bed.use(bed.create(factory, Map.of("replenishRate", 1, "burstCapacity", 1, "keyResolver", "ip")));
    assertThat(bed.get("/x").statusCode()).isEqualTo(200);
    assertThat(bed.get("/x").statusCode()).isEqualTo(429);
  }

  @Test
  void userKeyIsTheDefaultAndAMissingUserIsRefused() throws Exception {
    bed.use(bed.create(factory, Map.of("replenishRate", 1, "burstCapacity", 1)));
    HttpResponse<String> anonymous = bed.get("/x");
    assertThat(anonymous.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(anonymous.body()).getString("error")).isEqualTo("forbidden");
    assertThat(bed.get("/x", "X-Test-User", "alice").statusCode()).isEqualTo(200);
    assertThat(bed.get("/x", "X-Test-User", "alice").statusCode()).isEqualTo(429);
    assertThat(bed.get("/x", "X-Test-User", "bob").statusCode()).isEqualTo(200);
  }

  @Test
  void emptyKeysPassUnlimitedWhenNotDenied() throws Exception {
    bed.use(bed.create(factory, Map.of("replenishRate", 1, "burstCapacity", 1, "keyResolver", "header:X-Api-Key", "denyEmptyKey", false)));
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = bed.get("/x");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("X-RateLimit-Remaining")).isEmpty();
    }
  }

  @Test
  void springArgumentSpellings() throws Exception {
    GatewayFilter dotted = bed.create(factory, Map.of("redis-rate-limiter.replenishRate", 5, "redis-rate-limiter.burstCapacity", 7,
      "key-resolver", "route", "deny-empty-key", "false"));
    assertThat(dotted.toString()).contains("replenishRate=5", "burstCapacity=7", "by route");
    GatewayFilter nested = bed.create(factory, Map.of("redis-rate-limiter", Map.of("replenishRate", 2, "burstCapacity", 4, "requestedTokens", 2)));
    assertThat(nested.toString()).contains("replenishRate=2", "burstCapacity=4", "requestedTokens=2", "by user");
    GatewayFilter shortcut = factory.create(ItemDefinition.parseShortcut("RequestRateLimiter=10, 20, 1, header:X-Api-Key"), bed.context());
    assertThat(shortcut.toString()).contains("replenishRate=10", "burstCapacity=20", "by header:X-Api-Key");
  }

  @Test
  void localBucketsAreBounded() {
    LocalTokenBuckets buckets = new LocalTokenBuckets(new RateLimits(1, 1, 1), 100);
    for (int i = 0; i < 10_000; i++) {
      buckets.take("10.0." + (i / 256) + "." + (i % 256));
    }
    assertThat(buckets.size()).isLessThanOrEqualTo(100);
  }

  @Test
  void redisBucketIsSharedByTwoNodes() throws Exception {
    Redis redisA = Redis.createClient(bed.vertx, TestRedis.url());
    Redis redisB = Redis.createClient(bed.vertx, TestRedis.url());
    Map<String, Object> args = Map.of("replenishRate", 1, "burstCapacity", 3, "keyResolver", "route");
    bed.filters.put("a", ResilienceTestBed.create(factory, args, bed.context(redisA)));
    bed.filters.put("b", ResilienceTestBed.create(factory, args, bed.context(redisB)));

    assertThat(bed.get("/x", "X-Node", "a").statusCode()).isEqualTo(200);
    assertThat(bed.get("/x", "X-Node", "b").statusCode()).isEqualTo(200);
    HttpResponse<String> third = bed.get("/x", "X-Node", "a");
    assertThat(third.statusCode()).isEqualTo(200);
    assertThat(header(third, "X-RateLimit-Remaining")).isEqualTo("0");
    HttpResponse<String> refused = bed.get("/x", "X-Node", "b");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(header(refused, "Retry-After")).isEqualTo("1");

    String tokensKey = "junction.rate_limiter.{" + bed.routeId() + "." + bed.routeId() + "}.tokens";
    long ttl = redisA.send(Request.cmd(Command.TTL).arg(tokensKey)).await(5, TimeUnit.SECONDS).toLong();
    assertThat(ttl).isBetween(1L, 6L); // twice the 3 s refill time
  }

  @Test
  void redisScriptIsLoadedWhenRedisDoesNotKnowIt() throws Exception {
    Redis redis = Redis.createClient(bed.vertx, TestRedis.url());
    RateLimits limits = new RateLimits(1, 2, 1);
    RedisTokenBuckets buckets = new RedisTokenBuckets(bed.vertx, redis, bed.routeId(), limits, 2000);
    // a fresh script text: Redis has never seen its SHA, so the first call must fall back to EVAL
    String unique = RedisTokenBuckets.SCRIPT + "\n-- " + UUID.randomUUID();
    RedisTokenBuckets fresh = new RedisTokenBuckets(bed.vertx, redis, bed.routeId(), limits, 2000, unique);

    assertThat(fresh.take("k").await(5, TimeUnit.SECONDS).allowed()).isTrue();
    assertThat(redis.send(Request.cmd(Command.SCRIPT).arg("EXISTS").arg(RedisTokenBuckets.sha1(unique)))
      .await(5, TimeUnit.SECONDS).get(0).toInteger()).isEqualTo(1);
    assertThat(buckets.take("k").await(5, TimeUnit.SECONDS).allowed()).isTrue();
    RateLimits.Decision third = fresh.take("k").await(5, TimeUnit.SECONDS);
    assertThat(third.allowed()).isFalse();
    assertThat(third.tokensLeft()).isLessThan(1);
  }

  @Test
  void redisDownFallsBackToLocalBuckets() throws Exception {
    Redis down = Redis.createClient(bed.vertx, "redis://127.0.0.1:" + FreePorts.next());
    bed.use(ResilienceTestBed.create(factory, Map.of("replenishRate", 1, "burstCapacity", 2, "keyResolver", "route"), bed.context(down)));

    HttpResponse<String> first = bed.get("/x");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(header(first, "X-RateLimit-Remaining")).isEqualTo("1");
    assertThat(bed.get("/x").statusCode()).isEqualTo(200);
    assertThat(bed.get("/x").statusCode()).isEqualTo(429);
  }

  @Test
  void silentRedisFallsBackWithinTheTimeout() throws Exception {
    NetServer blackHole = bed.vertx.createNetServer().connectHandler(socket -> { }); // accepts, never answers
    int port = blackHole.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();
    Redis silent = Redis.createClient(bed.vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + port));
    bed.use(ResilienceTestBed.create(factory, Map.of("replenishRate", 1, "burstCapacity", 2, "keyResolver", "route"), bed.context(silent)));

    long start = System.nanoTime();
    HttpResponse<String> r = bed.get("/x");
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(ms).isLessThan(5000); // without the 250 ms Redis timeout it would hang until the client gives up
    assertThat(bed.get("/x").statusCode()).isEqualTo(200); // Redis paused: decided locally at once
    assertThat(bed.get("/x").statusCode()).isEqualTo(429);
  }

  @Test
  void badArguments() {
    fails(Map.of("burstCapacity", 10), "missing required argument 'replenishRate'");
    fails(Map.of("replenishRate", 0), "argument 'replenishRate': must be at least 1");
    fails(Map.of("replenishRate", "fast"), "argument 'replenishRate': bad integer 'fast'");
    fails(Map.of("replenishRate", 10, "burstCapacity", 5), "argument 'burstCapacity': 5 is less than replenishRate 10");
    fails(Map.of("replenishRate", 1, "burstCapacity", 5, "requestedTokens", 6), "between 1 and burstCapacity 5");
    fails(Map.of("replenishRate", 1, "keyResolver", "cookie"), "unknown key resolver 'cookie'");
    fails(Map.of("replenishRate", 1, "keyResolver", "#{@userKeyResolver}"), "Spring bean expressions");
    fails(Map.of("replenishRate", 1, "keyResolver", "header:"), "needs a header name");
    fails(Map.of("replenishRate", 1, "denyEmptyKey", "maybe"), "bad boolean 'maybe'");
    fails(Map.of("replenishRate", 1, "emptyKeyStatus", 200), "must be an error status");
    fails(Map.of("replenishRate", 1, "emptyKeyStatus", "NOPE"), "unknown HTTP status 'NOPE'");
    fails(Map.of("replenishRate", 1, "redis-rate-limiter.replenishRate", 2), "given twice");
    fails(Map.of("replenishRate", 1, "redis-rate-limiter", Map.of("rate", 2)), "unknown key 'rate'");
    fails(Map.of("replenishRate", 1, "rate", 2), "unknown argument 'rate'");
  }

  private void fails(Map<String, Object> args, String message) {
    assertThatThrownBy(() -> bed.create(factory, args)).isInstanceOf(DefinitionException.class).hasMessageContaining(message);
  }

  private static String header(HttpResponse<String> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }
}
