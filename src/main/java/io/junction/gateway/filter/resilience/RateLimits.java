package io.junction.gateway.filter.resilience;

/**
 * A token bucket's settings: {@code burstCapacity} tokens at most, refilled at {@code replenishRate} tokens per
 * second, {@code requestedTokens} taken per request (60 tokens at 1/s with capacity 60 = one request a minute).
 */
record RateLimits(int replenishRate, int burstCapacity, int requestedTokens) {

  /** Seconds an empty bucket takes to fill: after that long idle a bucket is as good as new. */
  double fillSeconds() {
    return (double) burstCapacity / replenishRate;
  }

  /** Whole seconds until {@code tokensLeft} has grown to one request's worth (at least 1). */
  long retryAfterSeconds(double tokensLeft) {
    double missing = requestedTokens - tokensLeft;
    return Math.max(1, (long) Math.ceil(missing / replenishRate - 1e-9));
  }

  /** What one request found: allowed or not, and the tokens left in its bucket afterwards. */
  record Decision(boolean allowed, double tokensLeft) {
    /** Tokens left as the X-RateLimit-Remaining header shows them (whole, never negative). */
    long remaining() {
      return Math.max(0, (long) Math.floor(tokensLeft + 1e-6));
    }
  }
}
