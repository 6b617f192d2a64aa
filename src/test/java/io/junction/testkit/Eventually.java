package io.junction.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition until it holds or the deadline passes (then fails with the description). */
public final class Eventually {
  private Eventually() {
  }

  public static void until(String what, Duration atMost, Callable<Boolean> condition) {
    long deadline = System.nanoTime() + atMost.toNanos();
    Throwable last = null;
    while (true) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return;
        }
        last = null;
      } catch (Exception | AssertionError e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + atMost.toMillis() + " ms: " + what, last);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
