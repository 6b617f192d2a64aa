package io.junction.cache;

import io.junction.testkit.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static io.junction.cache.Await.result;
import static io.junction.cache.Await.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cache-aside path against a real Redis: L1 hits, L2 shared between nodes, invalidation and write-through
 * across nodes, single flight, negative caching, and what the cache refuses. The "database" is a map whose
 * reads are counted.
 */
class CacheAsideTest {
  private static final CacheSpec SPEC = CacheSpec.of(1000, Duration.ofMinutes(1));

  private final Map<String, JsonObject> db = new ConcurrentHashMap<>();
  private final AtomicInteger dbReads = new AtomicInteger();
  private final String name = "test-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<AutoCloseable> closing = new ArrayList<>();
  private Vertx redisSide;
  private Redis redis;

  @BeforeEach
  void redisClient() {
    redisSide = Vertx.vertx();
    redis = Redis.createClient(redisSide, TestRedis.url());
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    redisSide.close().await(10, TimeUnit.SECONDS);
  }

  private CacheNode node(Vertx shared) throws Exception {
    CacheNode node = shared == null ? CacheNode.alone(CacheNode.redis(TestRedis.url())) : CacheNode.on(shared, CacheNode.redis(TestRedis.url()));
    closing.add(0, node);
    return node;
  }

  private Supplier<Future<JsonObject>> fromDb(String key) {
    return () -> {
      dbReads.incrementAndGet();
      return Future.succeededFuture(db.get(key));
    };
  }

  private String inRedis(String key) throws Exception {
    Response r = result(redis.send(Request.cmd(Command.GET).arg(RedisL2.key(name, key))));
    return r == null ? null : r.toString();
  }

  @Test
  void secondReadIsServedFromL1WithoutCallingTheLoader() throws Exception {
    CacheNode node = node(null);
    CacheAside<JsonObject> cache = node.caches.cache(name, SPEC, Codec.JSON_OBJECT);
    db.put("users", new JsonObject().put("id", "users").put("version", 1));

    assertThat(result(cache.get("users", fromDb("users"))).getInteger("version")).isEqualTo(1);
    assertThat(result(cache.get("users", fromDb("users"))).getInteger("version")).isEqualTo(1);

    assertThat(dbReads.get()).as("database reads").isEqualTo(1);
    assertThat(node.count("junction.cache.gets", "cache", name, "level", "l1", "result", "hit")).isEqualTo(1);
    assertThat(node.count("junction.cache.gets", "cache", name, "level", "l1", "result", "miss")).isEqualTo(1);
    assertThat(node.count("junction.cache.gets", "cache", name, "level", "l2", "result", "miss")).isEqualTo(1);
    assertThat(node.registry.find("junction.cache.load").tags("cache", name, "result", "success").timer().count()).isEqualTo(1);
    assertThat(node.gauge("junction.cache.hit.ratio", "cache", name, "level", "l1")).isEqualTo(0.5);
    assertThat(new JsonObject(inRedis("users")).getInteger("version")).as("the loaded value is in L2 as JSON").isEqualTo(1);
  }

  @Test
  void aSecondNodeReadsFromL2WhatTheFirstLoaded() throws Exception {
    CacheNode a = node(null);
    CacheNode b = node(null); // its own Vert.x: shares nothing with a but Redis
    db.put("orders", new JsonObject().put("id", "orders"));
    result(a.caches.cache(name, SPEC, Codec.JSON_OBJECT).get("orders", fromDb("orders")));

    AtomicInteger bLoads = new AtomicInteger();
    JsonObject onB = result(b.caches.cache(name, SPEC, Codec.JSON_OBJECT).get("orders", () -> {
      bLoads.incrementAndGet();
      return Future.succeededFuture(new JsonObject().put("id", "from b's loader"));
    }));

    assertThat(onB.getString("id")).isEqualTo("orders");
    assertThat(bLoads.get()).as("node b's loader").isZero();
    assertThat(b.count("junction.cache.gets", "cache", name, "level", "l2", "result", "hit")).isEqualTo(1);
  }

  @Test
  void invalidateDeletesL2AndDropsL1OnEveryNode() throws Exception {
    // Two nodes on one Vert.x share its event bus, as clustered nodes share theirs (no cluster manager in tests).
    Vertx bus = Vertx.vertx();
    closing.add(() -> bus.close().await(10, TimeUnit.SECONDS));
    CacheAside<JsonObject> a = node(bus).caches.cache(name, SPEC, Codec.JSON_OBJECT);
    CacheAside<JsonObject> b = node(bus).caches.cache(name, SPEC, Codec.JSON_OBJECT);
    db.put("r1", new JsonObject().put("v", 1));
    db.put("r2", new JsonObject().put("v", 1));
    for (String key : List.of("r1", "r2")) {
      result(a.get(key, fromDb(key)));
      result(b.get(key, fromDb(key)));
    }
    assertThat(dbReads.get()).as("b read both from L2").isEqualTo(2);

    db.put("r1", new JsonObject().put("v", 2));
    result(a.invalidate("r1"));

    assertThat(a.inL1("r1")).as("the writer's node drops at once").isFalse();
    assertThat(inRedis("r1")).isNull();
    until("node b drops r1", () -> !b.inL1("r1"));
    assertThat(b.inL1("r2")).as("other keys stay").isTrue();
    assertThat(result(b.get("r1", fromDb("r1"))).getInteger("v")).isEqualTo(2);
    assertThat(result(a.get("r1", fromDb("r1"))).getInteger("v")).as("a reads b's fresh L2 fill").isEqualTo(2);
    assertThat(dbReads.get()).isEqualTo(3);
  }

  @Test
  void invalidateAllEmptiesBothLevelsOnEveryNode() throws Exception {
    Vertx bus = Vertx.vertx();
    closing.add(() -> bus.close().await(10, TimeUnit.SECONDS));
    CacheAside<JsonObject> a = node(bus).caches.cache(name, SPEC, Codec.JSON_OBJECT);
    CacheAside<JsonObject> b = node(bus).caches.cache(name, SPEC, Codec.JSON_OBJECT);
    for (int i = 0; i < 30; i++) {
      db.put("k" + i, new JsonObject().put("i", i));
      result(a.get("k" + i, fromDb("k" + i)));
      result(b.get("k" + i, fromDb("k" + i)));
    }

    result(a.invalidateAll());

    assertThat(a.inL1("k0")).isFalse();
    until("node b empties its L1", () -> !b.inL1("k0") && !b.inL1("k29"));
    for (int i = 0; i < 30; i++) {
      assertThat(inRedis("k" + i)).isNull();
    }
  }

  @Test
  void writeThroughPutsTheNewValueHereAndOtherNodesReadItFromL2() throws Exception {
    Vertx bus = Vertx.vertx();
    closing.add(() -> bus.close().await(10, TimeUnit.SECONDS));
    CacheSpec spec = SPEC.withWriteThrough();
    CacheAside<JsonObject> a = node(bus).caches.cache(name, spec, Codec.JSON_OBJECT);
    CacheAside<JsonObject> b = node(bus).caches.cache(name, spec, Codec.JSON_OBJECT);
    db.put("role", new JsonObject().put("v", 1));
    result(a.get("role", fromDb("role")));
    result(b.get("role", fromDb("role")));

    db.put("role", new JsonObject().put("v", 2));
    result(a.put("role", db.get("role")));

    assertThat(new JsonObject(inRedis("role")).getInteger("v")).isEqualTo(2);
    until("node b drops its old value", () -> !b.inL1("role"));
    assertThat(a.inL1("role")).as("the writer keeps the new value in L1").isTrue();
    assertThat(result(a.get("role", fromDb("role"))).getInteger("v")).isEqualTo(2);
    assertThat(result(b.get("role", fromDb("role"))).getInteger("v")).isEqualTo(2);
    assertThat(dbReads.get()).as("no node went back to the database").isEqualTo(1);
  }

  @Test
  void concurrentMissesForOneKeyCallTheLoaderOnce() throws Exception {
    CacheNode node = node(null);
    CacheAside<JsonObject> cache = node.caches.cache(name, SPEC, Codec.JSON_OBJECT);
    AtomicInteger loads = new AtomicInteger();
    Supplier<Future<JsonObject>> slowLoader = () -> {
      loads.incrementAndGet();
      Promise<JsonObject> p = Promise.promise();
      node.vertx.setTimer(200, t -> p.complete(new JsonObject().put("v", "loaded")));
      return p.future();
    };
    int callers = 64;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<JsonObject>> answers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < callers / 4; i++) {
          Future<JsonObject> f = cache.get("hot", slowLoader);
          synchronized (answers) {
            answers.add(f);
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    // And some from event loops, where the gateway's and admin API's calls come from.
    for (int i = 0; i < 8; i++) {
      Promise<JsonObject> onLoop = Promise.promise();
      node.vertx.runOnContext(v -> cache.get("hot", slowLoader).onComplete(onLoop));
      answers.add(onLoop.future());
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join(10_000);
    }
    assertThat(answers).hasSize(callers + 8);
    for (Future<JsonObject> f : answers) {
      assertThat(result(f).getString("v")).isEqualTo("loaded");
    }
    assertThat(loads.get()).as("loader calls").isEqualTo(1);
    assertThat(node.count("junction.cache.gets", "cache", name, "level", "l2", "result", "miss"))
      .as("one L2 lookup for the whole flight").isEqualTo(1);
  }

  @Test
  void anInvalidationDuringALoadKeepsTheOldValueOutOfTheCache() throws Exception {
    CacheNode node = node(null);
    CacheAside<JsonObject> cache = node.caches.cache(name, SPEC, Codec.JSON_OBJECT);
    Promise<JsonObject> slow = Promise.promise();
    Future<JsonObject> first = cache.get("k", () -> slow.future());
    until("the load has started", () -> node.count("junction.cache.gets", "cache", name, "level", "l2", "result", "miss") == 1);

    result(cache.invalidate("k")); // a write landed while the old value was being read
    slow.complete(new JsonObject().put("v", "old"));

    assertThat(result(first).getString("v")).as("the caller still gets its answer").isEqualTo("old");
    assertThat(cache.inL1("k")).isFalse();
    assertThat(inRedis("k")).isNull();
    AtomicInteger loads = new AtomicInteger();
    JsonObject next = result(cache.get("k", () -> {
      loads.incrementAndGet();
      return Future.succeededFuture(new JsonObject().put("v", "new"));
    }));
    assertThat(next.getString("v")).isEqualTo("new");
    assertThat(loads.get()).isEqualTo(1);
  }

  @Test
  void notFoundIsRememberedOnlyWhenTheSpecSaysSo() throws Exception {
    CacheNode node = node(null);
    CacheAside<JsonObject> plain = node.caches.cache(name, SPEC, Codec.JSON_OBJECT);
    assertThat(result(plain.get("ghost", fromDb("ghost")))).isNull();
    assertThat(result(plain.get("ghost", fromDb("ghost")))).isNull();
    assertThat(dbReads.get()).as("not found is not cached by default").isEqualTo(2);
    assertThat(inRedis("ghost")).isNull();

    dbReads.set(0);
    CacheAside<JsonObject> negative = node.caches.cache(name + "-neg", SPEC.withNegativeTtl(Duration.ofMillis(300)), Codec.JSON_OBJECT);
    assertThat(result(negative.get("ghost", fromDb("ghost")))).isNull();
    assertThat(result(negative.get("ghost", fromDb("ghost")))).isNull();
    assertThat(dbReads.get()).isEqualTo(1);
    Thread.sleep(600); // past the negative TTL in both levels
    db.put("ghost", new JsonObject().put("now", "here"));
    assertThat(result(negative.get("ghost", fromDb("ghost"))).getString("now")).isEqualTo("here");
    assertThat(dbReads.get()).isEqualTo(2);
  }

  @Test
  void aFailingLoaderFailsTheReadAndCachesNothing() throws Exception {
    CacheNode node = node(null);
    CacheAside<JsonObject> cache = node.caches.cache(name, SPEC, Codec.JSON_OBJECT);
    Future<JsonObject> failed = cache.get("k", () -> Future.failedFuture(new IllegalStateException("database down")));
    assertThatThrownBy(() -> result(failed)).hasMessageContaining("database down");
    Future<JsonObject> thrown = cache.get("k", () -> {
      throw new IllegalStateException("loader bug");
    });
    assertThatThrownBy(() -> result(thrown)).hasMessageContaining("loader bug");
    assertThatThrownBy(() -> result(cache.get("k", () -> null))).hasMessageContaining("no future");
    assertThat(node.registry.find("junction.cache.load").tags("cache", name, "result", "failure").timer().count()).isEqualTo(3);

    db.put("k", new JsonObject().put("v", 1));
    assertThat(result(cache.get("k", fromDb("k"))).getInteger("v")).as("the next read loads again").isEqualTo(1);
  }

  @Test
  void anUndecodableL2ValueIsAMissAndIsOverwritten() throws Exception {
    CacheNode node = node(null);
    CacheAside<JsonObject> cache = node.caches.cache(name, SPEC, Codec.JSON_OBJECT);
    result(redis.send(Request.cmd(Command.SET).arg(RedisL2.key(name, "k")).arg("not json {").arg("PX").arg(60_000)));
    db.put("k", new JsonObject().put("v", 1));

    assertThat(result(cache.get("k", fromDb("k"))).getInteger("v")).isEqualTo(1);
    assertThat(dbReads.get()).isEqualTo(1);
    assertThat(new JsonObject(inRedis("k")).getInteger("v")).isEqualTo(1);
  }

  @Test
  void l2EntriesExpireAfterTheirTtl() throws Exception {
    CacheNode node = node(null);
    CacheAside<String> cache = node.caches.cache(name, SPEC.withL2Ttl(Duration.ofSeconds(30)), Codec.STRING);
    result(cache.get("k", () -> Future.succeededFuture("a \"quoted\" value")));
    assertThat(inRedis("k")).isEqualTo("\"a \\\"quoted\\\" value\"");
    long ttl = result(redis.send(Request.cmd(Command.PTTL).arg(RedisL2.key(name, "k")))).toLong();
    assertThat(ttl).isBetween(1L, 30_000L);
  }

  @Test
  void withoutL2OrWithoutRedisTheCacheIsNodeLocal() throws Exception {
    CacheNode node = node(null);
    CacheAside<JsonObject> local = node.caches.cache(name, SPEC.withoutL2(), Codec.JSON_OBJECT);
    db.put("k", new JsonObject().put("v", 1));
    result(local.get("k", fromDb("k")));
    result(local.get("k", fromDb("k")));
    assertThat(dbReads.get()).isEqualTo(1);
    assertThat(inRedis("k")).isNull();

    try (CacheNode noRedis = CacheNode.alone(CacheNode.noRedis())) {
      assertThat(noRedis.caches.hasL2()).isFalse();
      CacheAside<JsonObject> cache = noRedis.caches.cache(name, SPEC, Codec.JSON_OBJECT);
      result(cache.get("k", fromDb("k")));
      result(cache.get("k", fromDb("k")));
      assertThat(dbReads.get()).isEqualTo(2);
      result(cache.invalidate("k"));
      assertThat(cache.inL1("k")).isFalse();
    }
  }

  @Test
  void l1EvictionsAreCounted() throws Exception {
    CacheNode node = node(null);
    CacheAside<String> cache = node.caches.cache(name, CacheSpec.of(10, Duration.ofMinutes(1)).withoutL2(), Codec.STRING);
    for (int i = 0; i < 100; i++) {
      String v = "v" + i;
      result(cache.get("k" + i, () -> Future.succeededFuture(v)));
    }
    until("size evictions are counted", () -> node.count("junction.cache.evictions", "cache", name, "cause", "size") >= 90);
    until("L1 holds at most its bound", () -> node.gauge("junction.cache.size", "cache", name) <= 10);
  }

  @Test
  void misuseIsRefusedPlainly() throws Exception {
    CacheNode node = node(null);
    CacheAside<JsonObject> cache = node.caches.cache(name, SPEC, Codec.JSON_OBJECT);
    assertThat(node.caches.cache(name, SPEC, Codec.JSON_OBJECT)).as("same definition, same cache").isSameAs(cache);
    assertThatThrownBy(() -> node.caches.cache(name, SPEC.withWriteThrough(), Codec.JSON_OBJECT)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> node.caches.cache("has:colon", SPEC, Codec.JSON_OBJECT)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> node.caches.cache("star*", SPEC, Codec.JSON_OBJECT)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> node.caches.l1(name, 10, Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> result(cache.put("k", new JsonObject()))).hasMessageContaining("not write-through");
    assertThatThrownBy(() -> CacheSpec.of(0, Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CacheSpec.of(10, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Caches(node.registry).cache("x", SPEC, Codec.STRING))
      .as("before the module started").isInstanceOf(IllegalStateException.class);
    // Keys are arbitrary strings, including Redis glob and separator characters.
    db.put("a:b*[c]?", new JsonObject().put("v", 1));
    assertThat(result(cache.get("a:b*[c]?", fromDb("a:b*[c]?"))).getInteger("v")).isEqualTo(1);
    assertThat(inRedis("a:b*[c]?")).isNotNull();
  }
}
