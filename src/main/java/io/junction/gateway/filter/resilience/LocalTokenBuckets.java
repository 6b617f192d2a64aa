package io.junction.gateway.filter.resilience;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;

/**
 * Node-local token buckets, one per key, refilled lazily from the nanoseconds elapsed since the bucket was last
 * used (no timers). Bounded: a bucket idle for a full refill time is dropped (it would be full again, so
 * forgetting it changes nothing), and at most {@code maxKeys} are kept, so a client rotating addresses or header
 * values cannot grow memory without bound (an evicted busy key merely starts again from a full bucket).
 */
final class LocalTokenBuckets {
  static final long DEFAULT_MAX_KEYS = 100_000;

  private final RateLimits limits;
  private final Cache<String, Bucket> buckets;

  LocalTokenBuckets(RateLimits limits, long maxKeys) {
    this.limits = limits;
    long idleNanos = Math.max(1_000_000_000L, (long) Math.ceil(limits.fillSeconds() * 1e9));
    this.buckets = Caffeine.newBuilder()
      .maximumSize(maxKeys)
      .expireAfterAccess(Duration.ofNanos(idleNanos))
      .executor(Runnable::run) // eviction is cheap: do it on the caller, no pool threads
      .build();
  }

  RateLimits.Decision take(String key) {
    long now = System.nanoTime();
    return buckets.get(key, k -> new Bucket(limits.burstCapacity(), now)).take(now, limits);
  }

  long size() {
    buckets.cleanUp();
    return buckets.estimatedSize();
  }

  private static final class Bucket {
    private double tokens;
    private long stamp;

    Bucket(double tokens, long stamp) {
      this.tokens = tokens;
      this.stamp = stamp;
    }

    // several event loops may share a key: a short lock per bucket, never across I/O
    synchronized RateLimits.Decision take(long now, RateLimits limits) {
      long elapsed = Math.max(0, now - stamp);
      tokens = Math.min(limits.burstCapacity(), tokens + elapsed * 1e-9 * limits.replenishRate());
      stamp = Math.max(stamp, now);
      // tolerate float dust: 0.9999999 tokens after exactly one refill interval is a token
      boolean allowed = tokens + 1e-9 >= limits.requestedTokens();
      if (allowed) {
        tokens = Math.max(0, tokens - limits.requestedTokens());
      }
      return new RateLimits.Decision(allowed, tokens);
    }
  }
}
