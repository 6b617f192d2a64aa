package io.junction.cache;

import io.junction.config.Durations;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * How the cache treats Redis: every call gets {@code timeout} (a hung Redis costs a read at most that much),
 * {@code failureThreshold} consecutive failed reads open the circuit (L2 skipped), and while it is open Redis is
 * probed every {@code retryAfter}.
 */
record L2Settings(Duration timeout, int failureThreshold, Duration retryAfter) {
  static final L2Settings DEFAULTS = new L2Settings(Duration.ofMillis(100), 3, Duration.ofSeconds(5));

  L2Settings {
    // The schema allows 0 for durations; a zero timeout or probe period would make no sense (or a timer error).
    timeout = timeout.toMillis() < 1 ? Duration.ofMillis(1) : timeout;
    retryAfter = retryAfter.toMillis() < 10 ? Duration.ofMillis(10) : retryAfter;
    failureThreshold = Math.max(1, failureThreshold);
  }

  /** From the {@code redis} config section; absent keys take the defaults above (the schema checks ranges). */
  static L2Settings from(JsonObject redis) {
    return new L2Settings(
      redis.containsKey("timeout") ? Durations.parse(redis.getValue("timeout")) : DEFAULTS.timeout,
      redis.getInteger("failureThreshold", DEFAULTS.failureThreshold),
      redis.containsKey("retryAfter") ? Durations.parse(redis.getValue("retryAfter")) : DEFAULTS.retryAfter);
  }
}
