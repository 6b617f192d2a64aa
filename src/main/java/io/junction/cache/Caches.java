package io.junction.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cache module's public face: named node-local (L1, Caffeine) caches. Modules get theirs by name;
 * {@code junction.cache.invalidate} (published, so every node hears it) drops keys from them.
 */
public final class Caches {
  public static final String INVALIDATE_ADDRESS = "junction.cache.invalidate";

  private final Map<String, Cache<String, Object>> caches = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

  public Caches(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The named cache, created on first use with the given bounds; hit/miss/eviction meters are registered. */
  public Cache<String, Object> l1(String name, long maxSize, Duration ttl) {
    return caches.computeIfAbsent(name, n -> {
      Cache<String, Object> cache = Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(ttl).recordStats().build();
      CaffeineCacheMetrics.monitor(registry, cache, n, "level", "l1");
      return cache;
    });
  }

  /** Drops one key, or the whole cache when key is null. Unknown cache names are ignored (nothing cached). */
  public void invalidate(String name, String key) {
    Cache<String, Object> cache = caches.get(name);
    if (cache == null) {
      return;
    }
    if (key == null) {
      cache.invalidateAll();
    } else {
      cache.invalidate(key);
    }
  }
}
