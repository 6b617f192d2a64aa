package io.junction.gateway.upstream;

import java.util.Arrays;

/**
 * Ketama-style hash ring: each instance owns {@value #POINTS_PER_WEIGHT} points per unit of
 * weight; a key goes to the owner of the first point at or after its hash. Unavailable owners are
 * skipped by walking on round the ring, which lands exactly where a ring rebuilt without them
 * would, so taking an instance out moves only its own keys. Requests without a key are spread
 * round robin.
 */
final class ConsistentHashBalancer implements LoadBalancer {
  static final String NAME = "consistent-hash";
  static final int POINTS_PER_WEIGHT = 160;
  /** Keeps the ring small for large weights; weights beyond this ratio share the cap. */
  static final int MAX_POINTS_PER_INSTANCE = 160 * 64;

  private final Instance[] instances;
  private final long[] points;
  private final Instance[] owners;
  private final RoundRobinBalancer noKey;

  ConsistentHashBalancer(Instance[] instances) {
    this.instances = instances;
    this.noKey = new RoundRobinBalancer(instances);
    int gcd = 0;
    for (Instance instance : instances) {
      gcd = gcd(gcd, instance.weight());
    }
    int size = 0;
    int[] counts = new int[instances.length];
    for (int i = 0; i < instances.length; i++) {
      counts[i] = (int) Math.min((long) POINTS_PER_WEIGHT * (instances[i].weight() / gcd), MAX_POINTS_PER_INSTANCE);
      size += counts[i];
    }
    long[][] entries = new long[size][];
    int e = 0;
    for (int i = 0; i < instances.length; i++) {
      for (int p = 0; p < counts[i]; p++) {
        entries[e++] = new long[] {hash(instances[i].id() + "#" + p), i};
      }
    }
    // ties broken by config order, so every node builds the same ring
    Arrays.sort(entries, (x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
    points = new long[size];
    owners = new Instance[size];
    for (int k = 0; k < size; k++) {
      points[k] = entries[k][0];
      owners[k] = instances[(int) entries[k][1]];
    }
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  @Override
  public Instance choose(String hashKey, boolean ignoreHealth) {
    if (hashKey == null || hashKey.isEmpty()) {
      return noKey.choose(null, ignoreHealth);
    }
    int size = points.length;
    if (size == 0) {
      return null;
    }
    int k = Arrays.binarySearch(points, hash(hashKey));
    if (k < 0) {
      k = -k - 1;
    }
    if (k == size) {
      k = 0;
    }
    Instance owner = owners[k];
    if (Picks.usable(owner, ignoreHealth)) {
      return owner;
    }
    if (Picks.firstUsable(instances, ignoreHealth) == null) {
      return null; // all out: do not walk the whole ring
    }
    for (int step = 1; step < size; step++) {
      owner = owners[(k + step) % size];
      if (Picks.usable(owner, ignoreHealth)) {
        return owner;
      }
    }
    return null;
  }

  /** 64-bit FNV-1a over the chars (ASCII as one byte), then murmur3's finalizer for spread; allocation-free. */
  static long hash(String text) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        h = (h ^ c) * 0x100000001b3L;
      } else {
        h = (h ^ (c & 0xff)) * 0x100000001b3L; // both bytes of the UTF-16 unit
        h = (h ^ (c >>> 8)) * 0x100000001b3L;
      }
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb3fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
