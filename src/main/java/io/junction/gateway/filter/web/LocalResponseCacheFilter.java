package io.junction.gateway.filter.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code LocalResponseCache=30m, 500MB}: keeps this route's GET 200 responses (status, headers, body) in memory
 * and answers repeats itself, as Spring Cloud Gateway's LocalResponseCache. Arguments: {@code timeToLive}
 * (default 5m; a response's s-maxage/max-age shortens it), {@code size} (all entries together, default 10MB)
 * and {@code maxEntrySize} (one body, default size/10). See {@link ResponseRecorder} for what is stored, and
 * {@link CacheKey} for what tells requests apart.
 */
public final class LocalResponseCacheFilter implements GatewayFilter {

  static final String CACHE_NAME = "localResponseCache";

  private final Cache<CacheKey, CachedResponse> cache;
  private final long ttlNanos;
  private final long maxEntryBytes;
  private final MeterRegistry meters;
  private final String routeId;
  private final AtomicBoolean monitored = new AtomicBoolean();
  private final String description;

  LocalResponseCacheFilter(Duration ttl, long size, long maxEntryBytes, MeterRegistry meters, String routeId) {
    this.ttlNanos = saturatedNanos(ttl);
    this.maxEntryBytes = maxEntryBytes;
    this.meters = meters;
    this.routeId = routeId == null ? "" : routeId;
    this.description = "LocalResponseCache ttl " + ttl + ", size " + size + " bytes, entries up to " + maxEntryBytes;
    this.cache = Caffeine.newBuilder()
        .maximumWeight(size)
        .weigher((CacheKey key, CachedResponse value) -> value.weight())
        .expireAfter(new Expiry<CacheKey, CachedResponse>() {
          @Override
          public long expireAfterCreate(CacheKey key, CachedResponse value, long now) {
            return value.ttlNanos();
          }

          @Override
          public long expireAfterUpdate(CacheKey key, CachedResponse value, long now, long current) {
            return value.ttlNanos();
          }

          @Override
          public long expireAfterRead(CacheKey key, CachedResponse value, long now, long current) {
            return current;
          }
        })
        // maintenance (eviction) on the writing thread: cheap, and the size bound holds as soon as put returns
        .executor(Runnable::run)
        .recordStats()
        .build();
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    monitorOnce();
    HttpServerRequest request = exchange.request();
    if (!"GET".equals(exchange.method()) || !"GET".equals(request.method().name()) || hasBody(request)) {
      return chain.next(exchange);
    }
    CacheControl asked = CacheControl.of(request.headers());
    if (asked.noStore()) {
      return chain.next(exchange); // the client wants nothing of this exchange kept
    }
    CacheKey key = CacheKey.of(exchange);
    // no-cache, and max-age=0 (a browser's reload), want the upstream's answer; it refreshes the entry
    if (!asked.noCache() && asked.maxAge() != 0) {
      CachedResponse hit = cache.getIfPresent(key);
      if (hit != null && hit.matchesVary(request.headers())
          && (asked.maxAge() < 0 || hit.ageSeconds(System.nanoTime()) <= asked.maxAge())) {
        return exchange.respond(hit.status(), hit.headersForHit(System.nanoTime()), hit.body());
      }
    }
    ResponseRecorder recorder = new ResponseRecorder(key, ttlNanos, maxEntryBytes, cache);
    exchange.beforeResponse(recorder::decide);
    exchange.tapResponseBody(recorder);
    return chain.next(exchange);
  }

  /** Only bodiless GETs are cached, as in Spring. */
  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    return (length != null && !length.trim().equals("0")) || request.headers().contains("Transfer-Encoding");
  }

  /**
   * Cache meters ({@code cache.gets}, {@code cache.size}, ... tagged {@code cache=localResponseCache} and the
   * route), registered on first use rather than at build time: a config that is built but refused never serves,
   * and a reloaded route's new cache takes over the meters of the old one.
   */
  private void monitorOnce() {
    if (meters == null || monitored.get() || !monitored.compareAndSet(false, true)) {
      return;
    }
    for (Meter meter : meters.getMeters()) {
      if (CACHE_NAME.equals(meter.getId().getTag("cache")) && routeId.equals(meter.getId().getTag("route"))) {
        meters.remove(meter);
      }
    }
    CaffeineCacheMetrics.monitor(meters, cache, CACHE_NAME, Tags.of("route", routeId));
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public String toString() {
    return description;
  }

  public static final class Factory implements FilterFactory {

    static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    static final long DEFAULT_SIZE = 10L << 20;

    @Override
    public String name() {
      return "LocalResponseCache";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("timeToLive", "size", "maxEntrySize");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      Duration ttl = WebArgs.positiveDuration(args, "timeToLive", DEFAULT_TTL);
      long size = WebArgs.positiveSize(args, "size", DEFAULT_SIZE);
      long maxEntry = WebArgs.positiveSize(args, "maxEntrySize", Math.max(1, size / 10));
      if (maxEntry > size) {
        throw args.bad("maxEntrySize", "must not be larger than size (" + size + " bytes), not " + maxEntry);
      }
      // one body lives in one Buffer
      maxEntry = Math.min(maxEntry, Integer.MAX_VALUE - 1024);
      return new LocalResponseCacheFilter(ttl, size, maxEntry, context.meters(), context.routeId());
    }
  }
}
