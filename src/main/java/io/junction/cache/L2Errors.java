package io.junction.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@code junction_cache_l2_errors_total{cache, reason}}: L2 calls that did not reach Redis (error, timeout, circuit_open). */
final class L2Errors {
  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  L2Errors(MeterRegistry registry) {
    this.registry = registry;
  }

  void count(String cache, String reason) {
    counters.computeIfAbsent(cache + '\n' + reason, k -> Counter.builder("junction.cache.l2.errors")
      .description("L2 (Redis) calls that failed, timed out or were skipped while the circuit was open")
      .tags("cache", cache, "reason", reason).register(registry)).increment();
  }
}
