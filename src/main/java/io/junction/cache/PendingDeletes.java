package io.junction.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * L2 deletes that could not be made while Redis was failing: keys whose delete (or write-through put) failed
 * or was skipped, and caches whose invalidateAll was. They are replayed before L2 is read again, so an outage
 * does not leave stale values in Redis for the rest of their TTL. Bounded: past {@link #MAX_KEYS} keys a cache
 * is flushed whole instead of key by key.
 */
final class PendingDeletes {
  static final int MAX_KEYS = 10_000;

  record Batch(List<String> keys, List<String> flushes) {
    boolean isEmpty() {
      return keys.isEmpty() && flushes.isEmpty();
    }
  }

  private final Set<String> keys = ConcurrentHashMap.newKeySet();
  private final Set<String> flushes = ConcurrentHashMap.newKeySet();

  void key(String cache, String redisKey) {
    if (flushes.contains(cache)) {
      return;
    }
    if (keys.size() >= MAX_KEYS) {
      flushes.add(cache);
    } else {
      keys.add(redisKey);
    }
  }

  void flush(String cache) {
    flushes.add(cache);
  }

  boolean isEmpty() {
    return keys.isEmpty() && flushes.isEmpty();
  }

  int size() {
    return keys.size() + flushes.size();
  }

  /** Takes everything recorded so far; what arrives meanwhile waits for the next round. */
  Batch drain() {
    List<String> k = new ArrayList<>();
    for (String key : keys) {
      if (keys.remove(key)) {
        k.add(key);
      }
    }
    List<String> f = new ArrayList<>();
    for (String cache : flushes) {
      if (flushes.remove(cache)) {
        f.add(cache);
      }
    }
    return new Batch(k, f);
  }

  /** A replay that failed gives its batch back. */
  void restore(Batch batch) {
    keys.addAll(batch.keys());
    flushes.addAll(batch.flushes());
  }
}
