package io.junction.gateway;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A request in flight when Junction is asked to stop finishes with its real answer. */
class GracefulShutdownTest {

  @Test
  void inFlightRequestToASlowUpstreamCompletesDuringShutdown() throws Exception {
    try (TestUpstream slow = new TestUpstream("slow")) {
      JunctionTestKit kit = JunctionTestKit.builder().yaml("gateway:\n  routes:\n    - id: slow\n      uri: " + slow.url()
        + "\n      predicates: [\"Path=/slow\"]\n").start();
      CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> kit.get("/slow?ms=1000"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (slow.requests() == 0) {
        assertThat(System.nanoTime()).as("request reached the upstream").isLessThan(deadline);
        Thread.sleep(10);
      }
      long t0 = System.nanoTime();
      kit.close(); // the same path as SIGTERM: readiness down, listeners drain, modules close
      long stopMs = (System.nanoTime() - t0) / 1_000_000;
      HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("slow 1000");
      assertThat(stopMs).as("stop waited for the request, within the 5 s grace period").isBetween(500L, 5000L);
    }
  }
}
