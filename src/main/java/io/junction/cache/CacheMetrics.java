package io.junction.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * One cache-aside cache's meters, per level (l1, l2): {@code junction_cache_gets_total{cache, level, result}}
 * (hit, miss; and error at l2 when Redis failed or was skipped), {@code junction_cache_hit_ratio{cache, level}},
 * {@code junction_cache_evictions_total{cache, cause}}, {@code junction_cache_size{cache}} (L1 entries) and
 * {@code junction_cache_load_seconds{cache, result}} (loader calls and their time).
 */
final class CacheMetrics {
  private final Counter l1Hits;
  private final Counter l1Misses;
  private final Counter l2Hits;
  private final Counter l2Misses;
  private final Counter l2Errors;
  private final Timer loadsOk;
  private final Timer loadsFailed;
  private final LongAdder sizeEvictions = new LongAdder();
  private final LongAdder expirations = new LongAdder();

  CacheMetrics(MeterRegistry registry, String cache, Supplier<Number> l1Size) {
    l1Hits = gets(registry, cache, "l1", "hit");
    l1Misses = gets(registry, cache, "l1", "miss");
    l2Hits = gets(registry, cache, "l2", "hit");
    l2Misses = gets(registry, cache, "l2", "miss");
    l2Errors = gets(registry, cache, "l2", "error");
    loadsOk = load(registry, cache, "success");
    loadsFailed = load(registry, cache, "failure");
    ratio(registry, cache, "l1", l1Hits, l1Misses, null);
    ratio(registry, cache, "l2", l2Hits, l2Misses, l2Errors);
    evictions(registry, cache, "size", sizeEvictions);
    evictions(registry, cache, "expired", expirations);
    Gauge.builder("junction.cache.size", l1Size).description("entries in L1 (estimate)")
      .tag("cache", cache).register(registry);
  }

  void l1(boolean hit) {
    (hit ? l1Hits : l1Misses).increment();
  }

  void l2Hit() {
    l2Hits.increment();
  }

  void l2Miss() {
    l2Misses.increment();
  }

  void l2Error() {
    l2Errors.increment();
  }

  void loaded(long startNanos, boolean ok) {
    (ok ? loadsOk : loadsFailed).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /** Caffeine's eviction listener: removals by size bound or by time to live (explicit invalidations are not evictions). */
  void evicted(boolean bySize) {
    (bySize ? sizeEvictions : expirations).increment();
  }

  long loads() {
    return loadsOk.count() + loadsFailed.count();
  }

  private static Counter gets(MeterRegistry registry, String cache, String level, String result) {
    return Counter.builder("junction.cache.gets").description("cache lookups by level and outcome")
      .tags("cache", cache, "level", level, "result", result).register(registry);
  }

  private static Timer load(MeterRegistry registry, String cache, String result) {
    return Timer.builder("junction.cache.load").description("loader calls (misses at every level) and their duration")
      .tags("cache", cache, "result", result).register(registry);
  }

  private static void ratio(MeterRegistry registry, String cache, String level, Counter hits, Counter misses, Counter errors) {
    Gauge.builder("junction.cache.hit.ratio", () -> {
      double h = hits.count();
      double all = h + misses.count() + (errors == null ? 0 : errors.count());
      return all == 0 ? Double.NaN : h / all;
    }).description("hits / lookups since start").tags("cache", cache, "level", level).register(registry);
  }

  private static void evictions(MeterRegistry registry, String cache, String cause, LongAdder count) {
    FunctionCounter.builder("junction.cache.evictions", count, LongAdder::doubleValue)
      .description("L1 entries evicted by the size bound or expired").tags("cache", cache, "cause", cause).register(registry);
  }
}
