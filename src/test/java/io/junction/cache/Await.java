package io.junction.cache;

import io.vertx.core.Future;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Bounded waits, so a broken cache fails a test instead of hanging the suite. */
final class Await {
  private Await() {
  }

  static <T> T result(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  static void until(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what + " within 10 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
