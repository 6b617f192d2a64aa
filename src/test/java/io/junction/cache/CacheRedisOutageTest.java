package io.junction.cache;

import io.junction.testkit.TcpProxy;
import io.junction.testkit.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static io.junction.cache.Await.result;
import static io.junction.cache.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis going away and coming back under two cache nodes (one Vert.x, so they share the event bus): reads stay
 * correct and never fail, invalidations still reach every L1, errors are counted, a read costs at most the L2
 * timeout, and once Redis is back the deletes it missed are replayed and L2 serves again.
 */
class CacheRedisOutageTest {
  /** CacheNode.redis(...) sets a 200 ms timeout; a read may take that plus scheduling noise on a busy machine. */
  private static final long READ_BOUND_MS = 200 + 400;
  private static final CacheSpec SPEC = CacheSpec.of(1000, Duration.ofMinutes(1));

  private final Map<String, String> db = new ConcurrentHashMap<>();
  private final AtomicInteger dbReads = new AtomicInteger();
  private final String name = "outage-" + UUID.randomUUID().toString().substring(0, 8);
  private Vertx vertx;
  private Redis direct;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    direct = Redis.createClient(vertx, TestRedis.url());
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private Supplier<Future<String>> fromDb(String key) {
    return () -> {
      dbReads.incrementAndGet();
      return Future.succeededFuture(db.get(key));
    };
  }

  private String inRedis(String key) throws Exception {
    Response r = result(direct.send(Request.cmd(Command.GET).arg(RedisL2.key(name, key))));
    return r == null ? null : r.toString();
  }

  /** Reads through the cache, checking it never fails and never takes longer than the L2 timeout allows. */
  private String timedGet(CacheAside<String> cache, String key) throws Exception {
    long t0 = System.nanoTime();
    String value = result(cache.get(key, fromDb(key)));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(ms).as("read of " + key + " (ms)").isLessThan(READ_BOUND_MS);
    return value;
  }

  @Test
  void redisCutMidTestThenBack() throws Exception {
    int redisPort = URI.create(TestRedis.url()).getPort();
    try (TcpProxy proxy = new TcpProxy(redisPort)) {
      JsonObject redis = CacheNode.redis("redis://127.0.0.1:" + proxy.port());
      CacheNode a = CacheNode.on(vertx, redis);
      CacheNode b = CacheNode.on(vertx, redis);
      CacheAside<String> onA = a.caches.cache(name, SPEC, Codec.STRING);
      CacheAside<String> onB = b.caches.cache(name, SPEC, Codec.STRING);
      db.put("route", "v1");
      assertThat(timedGet(onA, "route")).isEqualTo("v1");
      assertThat(timedGet(onB, "route")).isEqualTo("v1");
      assertThat(dbReads.get()).as("b was served by L2").isEqualTo(1);

      proxy.cut();

      // Reads: cached keys from L1, new keys from the loader; none fails, none waits past the timeout.
      for (int i = 0; i < 20; i++) {
        db.put("k" + i, "value " + i);
        assertThat(timedGet(onA, "route")).isEqualTo("v1");
        assertThat(timedGet(onA, "k" + i)).isEqualTo("value " + i);
        assertThat(timedGet(onB, "k" + i)).isEqualTo("value " + i);
      }
      assertThat(a.l2Errors(name)).as("L2 errors counted on a").isGreaterThan(0);
      assertThat(b.l2Errors(name)).as("L2 errors counted on b").isGreaterThan(0);
      until("a's circuit opens", a::circuitOpen);
      until("b's circuit opens", b::circuitOpen);

      // Writes: the L2 delete cannot happen, but every node still drops its L1 and reads the new value.
      db.put("route", "v2");
      long t0 = System.nanoTime();
      result(onA.invalidate("route"));
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("invalidate during the outage (ms)").isLessThan(READ_BOUND_MS);
      until("b drops route", () -> !onB.inL1("route"));
      assertThat(timedGet(onA, "route")).isEqualTo("v2");
      assertThat(timedGet(onB, "route")).isEqualTo("v2");
      assertThat(inRedis("route")).as("the stale L2 value is still in Redis (the delete was missed)").isEqualTo("\"v1\"");

      proxy.restore();

      until("a uses L2 again", () -> !a.circuitOpen());
      until("b uses L2 again", () -> !b.circuitOpen());
      assertThat(inRedis("route")).as("the missed delete was replayed before L2 was read again").isNull();

      // L2 serves again: b reads what a loads without calling the loader.
      db.put("after", "back");
      int readsBefore = dbReads.get();
      double bHitsBefore = b.count("junction.cache.gets", "cache", name, "level", "l2", "result", "hit");
      assertThat(timedGet(onA, "after")).isEqualTo("back");
      assertThat(timedGet(onB, "after")).isEqualTo("back");
      assertThat(dbReads.get() - readsBefore).as("database reads after recovery").isEqualTo(1);
      assertThat(b.count("junction.cache.gets", "cache", name, "level", "l2", "result", "hit")).isEqualTo(bHitsBefore + 1);
      assertThat(inRedis("after")).isEqualTo("\"back\"");
      // And the route read from a fresh node now comes from L2 (a's v2 was never written there: it loads and fills).
      a.caches.invalidate(name, null);
      assertThat(timedGet(onA, "route")).isEqualTo("v2");
      assertThat(inRedis("route")).isEqualTo("\"v2\"");
      a.close();
      b.close();
    }
  }

  @Test
  void aHungRedisCostsAReadAtMostTheTimeoutAndThenNothing() throws Exception {
    try (SilentProxy proxy = new SilentProxy(URI.create(TestRedis.url()).getPort())) {
      CacheNode node = CacheNode.on(vertx, CacheNode.redis("redis://127.0.0.1:" + proxy.port()));
      CacheAside<String> cache = node.caches.cache(name, SPEC, Codec.STRING);
      db.put("before", "b");
      assertThat(timedGet(cache, "before")).isEqualTo("b");
      assertThat(inRedis("before")).isEqualTo("\"b\"");

      proxy.silence(); // Redis stops answering; nothing is refused or reset
      for (int i = 0; i < 5; i++) {
        db.put("k" + i, "v" + i);
        assertThat(timedGet(cache, "k" + i)).isEqualTo("v" + i);
      }
      until("the circuit opens", node::circuitOpen);
      long t0 = System.nanoTime();
      for (int i = 0; i < 200; i++) {
        db.put("n" + i, "v" + i);
        assertThat(result(cache.get("n" + i, fromDb("n" + i)))).isEqualTo("v" + i);
      }
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("200 misses with the circuit open (ms)").isLessThan(2000);
      assertThat(node.count("junction.cache.l2.errors", "cache", name, "reason", "timeout")).isGreaterThanOrEqualTo(2);
      assertThat(node.count("junction.cache.l2.errors", "cache", name, "reason", "circuit_open")).isGreaterThanOrEqualTo(200);

      proxy.speak(); // the old connection lost replies mid-pipeline: only a fresh one can be trusted
      until("the circuit closes", () -> !node.circuitOpen());
      node.caches.invalidate(name, "before"); // this node's L1 only: the next read must come from L2
      int reads = dbReads.get();
      assertThat(timedGet(cache, "before")).isEqualTo("b");
      assertThat(dbReads.get()).as("served by L2 again").isEqualTo(reads);
      node.close();
    }
  }

  @Test
  void redisDownAtStartDoesNotStopTheModuleAndIsTakenInWhenItAnswers() throws Exception {
    try (TcpProxy proxy = new TcpProxy(URI.create(TestRedis.url()).getPort())) {
      proxy.cut();
      long t0 = System.nanoTime();
      CacheNode node = CacheNode.on(vertx, CacheNode.redis("redis://127.0.0.1:" + proxy.port()));
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("module start (ms)").isLessThan(3000);
      assertThat(node.circuitOpen()).as("starts with L2 skipped").isTrue();
      CacheAside<String> cache = node.caches.cache(name, SPEC, Codec.STRING);
      db.put("k", "v");
      assertThat(timedGet(cache, "k")).isEqualTo("v");

      proxy.restore();
      until("the circuit closes", () -> !node.circuitOpen());
      db.put("k2", "v2");
      assertThat(timedGet(cache, "k2")).isEqualTo("v2");
      assertThat(inRedis("k2")).as("L2 filled once Redis answers").isEqualTo("\"v2\"");
      node.close();
    }
  }
}
