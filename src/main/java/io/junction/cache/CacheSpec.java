package io.junction.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * How one named cache behaves: L1 bounds (size, time to live), whether and how long values live in Redis
 * (L2), whether writes put the new value (write-through) or only invalidate, and how long "not found" is
 * remembered (zero = not at all).
 *
 * <pre>
 * CacheSpec.of(10_000, Duration.ofSeconds(30)).withL2Ttl(Duration.ofMinutes(5)).withNegativeTtl(Duration.ofSeconds(5))
 * </pre>
 */
public record CacheSpec(long maxSize, Duration l1Ttl, boolean useL2, Duration l2Ttl, boolean writeThrough,
                        Duration negativeTtl) {
  /** L2 entries outlive L1 ones, but not by much: an L2 delete lost to an outage is stale at most this long. */
  public static final Duration DEFAULT_L2_TTL = Duration.ofMinutes(5);

  public CacheSpec {
    if (maxSize <= 0) {
      throw new IllegalArgumentException("maxSize must be positive: " + maxSize);
    }
    positive("l1Ttl", l1Ttl);
    positive("l2Ttl", l2Ttl);
    Objects.requireNonNull(negativeTtl, "negativeTtl");
    if (negativeTtl.isNegative()) {
      throw new IllegalArgumentException("negativeTtl must not be negative: " + negativeTtl);
    }
  }

  /** L1 and L2 (when Redis is configured), invalidate on write, no negative caching. */
  public static CacheSpec of(long maxSize, Duration l1Ttl) {
    return new CacheSpec(maxSize, l1Ttl, true, DEFAULT_L2_TTL, false, Duration.ZERO);
  }

  public CacheSpec withL2Ttl(Duration ttl) {
    return new CacheSpec(maxSize, l1Ttl, true, ttl, writeThrough, negativeTtl);
  }

  /** Node-local only, even when Redis is configured (values too big or too hot to share). */
  public CacheSpec withoutL2() {
    return new CacheSpec(maxSize, l1Ttl, false, l2Ttl, writeThrough, negativeTtl);
  }

  /** Writers call {@link CacheAside#put}: the new value goes to L2 and this node's L1, other nodes drop theirs. */
  public CacheSpec withWriteThrough() {
    return new CacheSpec(maxSize, l1Ttl, useL2, l2Ttl, true, negativeTtl);
  }

  /** Remember "not found" (a loader answering null) this long in both levels; keep it short. */
  public CacheSpec withNegativeTtl(Duration ttl) {
    return new CacheSpec(maxSize, l1Ttl, useL2, l2Ttl, writeThrough, ttl);
  }

  public boolean cachesNotFound() {
    return !negativeTtl.isZero();
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
