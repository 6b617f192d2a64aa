package io.junction.observability;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A dependency check for /health/ready: runs a round trip, reports UP with its latency or DOWN with the error.
 * The round trip has its own deadline, shorter than the registry's, so a hung dependency is reported DOWN
 * (503) rather than as a failed procedure (500).
 */
public final class HealthProbe {
  public static final long TIMEOUT_MS = 2000;
  private static final long ROUND_TRIP_MS = 1500;

  private HealthProbe() {
  }

  public static void register(HealthChecks health, String name, JsonObject info, Supplier<Future<?>> roundTrip) {
    health.register(name, TIMEOUT_MS, promise -> {
      long start = System.nanoTime();
      Future<?> attempt;
      try {
        attempt = roundTrip.get();
      } catch (RuntimeException e) {
        attempt = Future.failedFuture(e);
      }
      attempt.timeout(ROUND_TRIP_MS, TimeUnit.MILLISECONDS).onComplete(ar -> {
        JsonObject data = info.copy();
        if (ar.succeeded()) {
          promise.tryComplete(Status.OK(data.put("latencyMs", (System.nanoTime() - start) / 1_000_000)));
        } else {
          promise.tryComplete(Status.KO(data.put("error", String.valueOf(ar.cause().getMessage()))));
        }
      });
    });
  }
}
