package io.junction.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The cache module's public face. Modules get their caches here by name:
 * <ul>
 *   <li>{@link #cache(String, CacheSpec, Codec)}: a cache-aside cache, L1 on this node and L2 in Redis when
 *       {@code redis.url} is set, invalidated on every node through {@code junction.cache.invalidate};</li>
 *   <li>{@link #l1(String, long, Duration)}: a bare node-local Caffeine cache (no loader, no L2).</li>
 * </ul>
 * Cache-aside caches are available once the cache module has started (modules deployed after it may create
 * them in their {@code start}).
 */
public final class Caches {
  public static final String INVALIDATE_ADDRESS = "junction.cache.invalidate";
  /** Cache names become part of Redis keys ({@code junction:<cache>:<key>}) and SCAN patterns: no ':' or glob characters. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final Map<String, Cache<String, Object>> caches = new ConcurrentHashMap<>();
  private final Map<String, CacheAside<?>> asides = new ConcurrentHashMap<>();
  private final MeterRegistry registry;
  /** Tells this node's own invalidation messages apart: it has already applied them before publishing. */
  private final String origin = UUID.randomUUID().toString();
  private volatile Vertx vertx;
  private volatile RedisL2 l2;

  public Caches(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The named node-local cache, created on first use with the given bounds; hit/miss/eviction meters are registered. */
  public Cache<String, Object> l1(String name, long maxSize, Duration ttl) {
    if (asides.containsKey(name)) {
      throw new IllegalArgumentException("cache " + name + " is a cache-aside cache");
    }
    return caches.computeIfAbsent(name, n -> {
      Cache<String, Object> cache = Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(ttl).recordStats().build();
      CaffeineCacheMetrics.monitor(registry, cache, n, "level", "l1");
      return cache;
    });
  }

  /**
   * The named cache-aside cache, created on first use. Asking again with the same spec and codec returns the
   * same cache; a different spec or codec for an existing name is a programming error.
   *
   * @throws IllegalArgumentException for a name outside {@code [A-Za-z0-9._-]{1,64}} or a conflicting definition
   * @throws IllegalStateException before the cache module has started
   */
  @SuppressWarnings("unchecked")
  public <V> CacheAside<V> cache(String name, CacheSpec spec, Codec<V> codec) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("cache name must match " + NAME.pattern() + ": " + name);
    }
    Vertx v = vertx;
    if (v == null) {
      throw new IllegalStateException("the cache module has not started yet");
    }
    if (caches.containsKey(name)) {
      throw new IllegalArgumentException("cache " + name + " is a node-local l1 cache");
    }
    CacheAside<?> cache = asides.computeIfAbsent(name, n -> new CacheAside<>(n, spec, codec, l2, v.eventBus(), origin, registry));
    if (!cache.spec().equals(spec) || ((CacheAside<V>) cache).codec() != codec) {
      throw new IllegalArgumentException("cache " + name + " already exists with " + cache.spec());
    }
    return (CacheAside<V>) cache;
  }

  /** Is Redis (L2) configured? (Whether it answers right now is the circuit's business.) */
  public boolean hasL2() {
    return l2 != null;
  }

  /** Drops one key, or the whole cache when key is null, from this node's L1. Unknown cache names are ignored. */
  public void invalidate(String name, String key) {
    Cache<String, Object> cache = caches.get(name);
    if (cache != null) {
      if (key == null) {
        cache.invalidateAll();
      } else {
        cache.invalidate(key);
      }
    }
    CacheAside<?> aside = asides.get(name);
    if (aside != null) {
      if (key == null) {
        aside.dropAll();
      } else {
        aside.drop(key);
      }
    }
  }

  /** An invalidation heard on the bus; skipped when this node published it (it dropped its L1 already). */
  void invalidate(String name, String key, String from) {
    if (!origin.equals(from)) {
      invalidate(name, key);
    }
  }

  MeterRegistry registry() {
    return registry;
  }

  void start(Vertx vertx, RedisL2 l2) {
    this.l2 = l2;
    this.vertx = vertx;
  }

  void stop() {
    RedisL2 current = l2;
    if (current != null) {
      current.close();
    }
  }
}
