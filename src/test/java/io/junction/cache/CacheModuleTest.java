package io.junction.cache;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.junction.cache.Await.result;
import static io.junction.cache.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

/** The cache module inside a whole Junction with Redis: modules get caches from Caches, meters reach /metrics. */
class CacheModuleTest {
  private static JunctionTestKit kit;

  @BeforeAll
  static void start() {
    kit = JunctionTestKit.builder().env("JUNCTION_REDIS_URL", TestRedis.url()).env("JUNCTION_REDIS_TIMEOUT", "250ms").start();
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  @Test
  void aModuleCacheIsSharedThroughL2AndMeteredOnMetrics() throws Exception {
    String name = "kit-" + UUID.randomUUID().toString().substring(0, 8);
    Caches caches = kit.junction().caches();
    assertThat(caches.hasL2()).isTrue();
    CacheAside<JsonObject> cache = caches.cache(name, CacheSpec.of(100, Duration.ofMinutes(1)), Codec.JSON_OBJECT);
    AtomicInteger loads = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      JsonObject v = result(cache.get("k", () -> {
        loads.incrementAndGet();
        return Future.succeededFuture(new JsonObject().put("v", 1));
      }));
      assertThat(v.getInteger("v")).isEqualTo(1);
    }
    assertThat(loads.get()).isEqualTo(1);

    String metrics = kit.admin("/metrics").body();
    assertThat(metrics)
      .contains("junction_cache_gets_total{cache=\"" + name + "\",level=\"l1\",result=\"hit\"} 2.0")
      .contains("junction_cache_gets_total{cache=\"" + name + "\",level=\"l2\",result=\"miss\"} 1.0")
      .contains("junction_cache_load_seconds_count{cache=\"" + name + "\",result=\"success\"} 1")
      .contains("junction_cache_hit_ratio{cache=\"" + name + "\",level=\"l1\"}")
      .contains("junction_cache_l2_circuit_open 0.0");
  }

  @Test
  void anInvalidationPublishedByAnyoneDropsTheKey() throws Exception {
    String name = "kit-" + UUID.randomUUID().toString().substring(0, 8);
    CacheAside<String> cache = kit.junction().caches().cache(name, CacheSpec.of(100, Duration.ofMinutes(1)), Codec.STRING);
    result(cache.get("k", () -> Future.succeededFuture("v")));
    assertThat(cache.inL1("k")).isTrue();
    kit.vertx().eventBus().publish(Caches.INVALIDATE_ADDRESS, new JsonObject().put("cache", name).put("key", "k"));
    until("the key is dropped", () -> !cache.inL1("k"));
  }
}
