package io.junction.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One named cache-aside cache: L1 (this node, Caffeine) in front of L2 (Redis, shared by every node, when
 * configured) in front of the caller's loader (usually a database query).
 *
 * <ul>
 *   <li>{@link #get}: L1, then L2, then the loader; a loaded value is written to L2, then to L1. Concurrent
 *       misses for one key on this node share one L2 lookup and one loader call.</li>
 *   <li>{@link #invalidate}: after the database write, delete in L2, drop this node's L1, then publish
 *       {@code junction.cache.invalidate} so every other node drops its L1.</li>
 *   <li>{@link #put} (write-through caches): the new value goes to L2 and this node's L1; the others drop theirs.</li>
 * </ul>
 * Redis trouble never fails a call: L2 is skipped (see {@link RedisL2}) and the answer comes from L1 or the loader.
 * A loader's failure is the caller's: it is passed on and nothing is cached. Thread-safe; callable from any thread.
 */
public final class CacheAside<V> {
  private static final Logger LOG = LoggerFactory.getLogger(CacheAside.class);
  /** What L1 holds for a remembered "not found" (Caffeine holds no nulls). */
  private static final Object NOT_FOUND = new Object();
  /** readL2's answer when Redis failed: go to the loader, and don't spend a second timeout writing L2. */
  private static final Object L2_FAILED = new Object();
  /** What L2 holds for it: JSON null, which no codec produces for a value. */
  private static final String NOT_FOUND_TEXT = "null";

  private final String name;
  private final CacheSpec spec;
  private final Codec<V> codec;
  private final RedisL2 l2;
  private final EventBus bus;
  private final String origin;
  private final CacheMetrics metrics;
  private final Cache<String, Object> l1;
  /** Loads in flight, one per key. Also the fence against stale fills: an invalidation removes the entry. */
  private final ConcurrentHashMap<String, Future<Object>> loading = new ConcurrentHashMap<>();

  CacheAside(String name, CacheSpec spec, Codec<V> codec, RedisL2 l2, EventBus bus, String origin, MeterRegistry registry) {
    this.name = name;
    this.spec = spec;
    this.codec = codec;
    this.l2 = spec.useL2() ? l2 : null;
    this.bus = bus;
    this.origin = origin;
    this.metrics = new CacheMetrics(registry, name, this::l1Entries);
    this.l1 = Caffeine.newBuilder()
      .maximumSize(spec.maxSize())
      .expireAfter(Expiry.writing((String k, Object v) -> v == NOT_FOUND ? spec.negativeTtl() : spec.l1Ttl()))
      .evictionListener((String k, Object v, RemovalCause cause) -> metrics.evicted(cause == RemovalCause.SIZE))
      .build();
  }

  public String name() {
    return name;
  }

  public CacheSpec spec() {
    return spec;
  }

  Codec<V> codec() {
    return codec;
  }

  /**
   * The value for key: from L1, L2 or (on a miss at both) the loader, whose answer is cached. A loader answering
   * null means "not found": remembered for {@link CacheSpec#negativeTtl()} when set, else not cached.
   */
  public Future<V> get(String key, Supplier<Future<V>> loader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(loader, "loader");
    Object cached = l1.getIfPresent(key);
    if (cached != null) {
      metrics.l1(true);
      return Future.succeededFuture(unwrap(cached));
    }
    metrics.l1(false);
    Promise<Object> promise = Promise.promise();
    Future<Object> mine = promise.future();
    Future<Object> running = loading.putIfAbsent(key, mine);
    if (running != null) {
      return running.map(CacheAside.this::unwrap); // single flight: join the lookup already under way
    }
    readL2(key)
      .compose(found -> found != null && found != L2_FAILED ? Future.succeededFuture(found) : load(key, loader, mine, found != L2_FAILED))
      .onComplete(ar -> {
        if (ar.succeeded()) {
          fillL1(key, ar.result(), mine);
        } else {
          loading.remove(key, mine);
        }
        promise.handle(ar);
      });
    return mine.map(this::unwrap);
  }

  /**
   * Call after the database write: the key is deleted in L2 first (so no node can refill its L1 from a stale
   * L2 value), then dropped from this node's L1 (read-your-writes without waiting for the bus), then
   * {@code junction.cache.invalidate} is published for the other nodes. Never fails: an L2 delete Redis did not
   * take is replayed before L2 is read again.
   */
  public Future<Void> invalidate(String key) {
    Objects.requireNonNull(key, "key");
    Future<Void> l2Done = l2 == null ? Future.succeededFuture() : l2.delete(name, key);
    return l2Done.andThen(ar -> {
      drop(key);
      publish(key);
    });
  }

  /** Drops every key: L2 (SCAN + UNLINK of this cache's namespace), this node's L1, then every other node's. */
  public Future<Void> invalidateAll() {
    Future<Void> l2Done = l2 == null ? Future.succeededFuture() : l2.deleteAll(name);
    return l2Done.andThen(ar -> {
      dropAll();
      publish(null);
    });
  }

  /**
   * Write-through (only for caches whose spec says {@link CacheSpec#withWriteThrough()}): after the database write,
   * the new value goes to L2 and this node's L1, and the other nodes drop their L1 (they read L2 next).
   */
  public Future<Void> put(String key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value (use invalidate for a deleted entry)");
    if (!spec.writeThrough()) {
      return Future.failedFuture(new IllegalStateException("cache " + name + " is not write-through: call invalidate"));
    }
    String text = codec.encode(value);
    Future<Void> l2Done = l2 == null ? Future.succeededFuture() : l2.set(name, key, text, spec.l2Ttl());
    return l2Done.andThen(ar -> {
      loading.compute(key, (k, running) -> {
        l1.put(k, value); // under the key's lock: a load in flight (now dropped from the map) cannot overwrite it
        return null;
      });
      publish(key);
    });
  }

  /** Drops the key from this node's L1 and fences off a load in flight for it. Used by invalidations. */
  void drop(String key) {
    loading.compute(key, (k, running) -> {
      l1.invalidate(k);
      return null;
    });
  }

  void dropAll() {
    loading.clear();
    l1.invalidateAll();
  }

  private long l1Entries() {
    return l1.estimatedSize();
  }

  /** Is the key in this node's L1 (without counting a lookup)? */
  boolean inL1(String key) {
    return l1.getIfPresent(key) != null;
  }

  private void publish(String key) {
    JsonObject message = new JsonObject().put("cache", name).put("origin", origin);
    if (key != null) {
      message.put("key", key);
    }
    bus.publish(Caches.INVALIDATE_ADDRESS, message);
  }

  /** Found in L2: the value or NOT_FOUND; null when L2 has nothing usable (absent, undecodable); L2_FAILED when Redis failed or was skipped. */
  private Future<Object> readL2(String key) {
    if (l2 == null) {
      return Future.succeededFuture(null);
    }
    return l2.get(name, key).transform(ar -> {
      if (ar.failed()) {
        metrics.l2Error();
        return Future.succeededFuture(L2_FAILED);
      }
      String text = ar.result();
      if (text == null || (NOT_FOUND_TEXT.equals(text) && !spec.cachesNotFound())) {
        metrics.l2Miss();
        return Future.succeededFuture(null);
      }
      if (NOT_FOUND_TEXT.equals(text)) {
        metrics.l2Hit();
        return Future.succeededFuture(NOT_FOUND);
      }
      try {
        Object value = codec.decode(text);
        metrics.l2Hit();
        return Future.succeededFuture(value);
      } catch (RuntimeException e) {
        // Written by another version or by hand: a miss; the loaded value overwrites it.
        LOG.debug("cache {}: undecodable L2 value for a key, treated as a miss: {}", name, e.toString());
        metrics.l2Miss();
        return Future.succeededFuture(null);
      }
    });
  }

  /**
   * Calls the loader; on success writes L2 (waiting at most the L2 timeout; not at all when the L2 read just
   * failed, so a miss during an outage costs one timeout, not two) and answers the value or NOT_FOUND.
   */
  private Future<Object> load(String key, Supplier<Future<V>> loader, Future<Object> mine, boolean fillL2) {
    long start = System.nanoTime();
    Future<V> loaded;
    try {
      loaded = loader.get();
      if (loaded == null) {
        loaded = Future.failedFuture(new IllegalStateException("cache " + name + ": the loader returned no future"));
      }
    } catch (RuntimeException e) {
      loaded = Future.failedFuture(e);
    }
    return loaded
      .andThen(ar -> metrics.loaded(start, ar.succeeded()))
      .compose(value -> {
        Object entry = value == null ? NOT_FOUND : value;
        if (l2 == null || !fillL2 || loading.get(key) != mine || (value == null && !spec.cachesNotFound())) {
          return Future.succeededFuture(entry); // nothing to share, or invalidated while loading: don't write L2
        }
        Future<Void> written = value == null
          ? l2.fill(name, key, NOT_FOUND_TEXT, spec.negativeTtl())
          : l2.fill(name, key, codec.encode(value), spec.l2Ttl());
        return written.map(entry);
      });
  }

  /** Fills L1 unless the key was invalidated meanwhile (then the caller still gets the value, uncached). */
  private void fillL1(String key, Object entry, Future<Object> mine) {
    boolean cacheable = entry != NOT_FOUND || spec.cachesNotFound();
    loading.compute(key, (k, running) -> {
      if (running != mine) {
        return running;
      }
      if (cacheable) {
        l1.put(k, entry);
      }
      return null;
    });
  }

  @SuppressWarnings("unchecked")
  private V unwrap(Object entry) {
    return entry == NOT_FOUND ? null : (V) entry;
  }
}
