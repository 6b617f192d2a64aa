package io.junction.gateway.upstream;

/**
 * Passive health: {@code consecutiveFailures} failed calls in a row eject an instance for
 * {@code ejectForMillis}; it comes back by itself when that time is up.
 */
public record PassiveCheck(int consecutiveFailures, long ejectForMillis) {
  public static final int DEFAULT_CONSECUTIVE_FAILURES = 5;
  public static final long DEFAULT_EJECT_FOR_MILLIS = 30_000;

  long ejectForNanos() {
    return ejectForMillis * 1_000_000L;
  }
}
