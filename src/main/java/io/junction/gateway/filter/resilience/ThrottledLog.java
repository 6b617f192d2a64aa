package io.junction.gateway.filter.resilience;

import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicLong;

/** Logs a recurring problem at most once per interval, with how many repeats were left out. */
final class ThrottledLog {
  private final Logger log;
  private final long intervalNanos;
  private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  ThrottledLog(Logger log, long intervalMillis) {
    this.log = log;
    this.intervalNanos = intervalMillis * 1_000_000L;
  }

  void warn(String message, Throwable cause) {
    long now = System.nanoTime();
    long due = next.get();
    if ((due == Long.MIN_VALUE || now - due >= 0) && next.compareAndSet(due, now + intervalNanos)) {
      long left = suppressed.getAndSet(0);
      log.warn("{}: {}{}", message, cause == null ? "" : String.valueOf(cause.getMessage()),
        left == 0 ? "" : " (" + left + " more like this since the last report)");
    } else {
      suppressed.incrementAndGet();
    }
  }
}
