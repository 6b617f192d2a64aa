package io.junction.observability;

import io.junction.testkit.Eventually;
import io.junction.testkit.FreePorts;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** A collector that is down or hangs never slows or fails requests: the export queue is bounded and drops are counted. */
class TracingExportFaultTest {
  private static final int REQUESTS = 300;

  @Test
  void aCollectorThatAcceptsAndNeverAnswersFillsTheQueueAndSpansAreDropped() throws Exception {
    try (Blackhole collector = new Blackhole(); TestUpstream upstream = new TestUpstream();
         JunctionTestKit kit = tracedKit(upstream, "http://127.0.0.1:" + collector.port() + "/v1/traces")) {
      long slowest = drive(kit);
      assertThat(slowest).as("slowest request (ms) with a hung collector").isLessThan(2_000);
      Eventually.until("dropped spans are counted", Duration.ofSeconds(10),
        () -> Scrape.of(kit).value("junction_tracing_spans_dropped_total") > 0);
      Scrape s = Scrape.of(kit);
      // 2 spans per request (server, upstream client); the queue holds 16 and one batch hangs in export
      assertThat(s.value("junction_tracing_spans_dropped_total")).isGreaterThan(REQUESTS);
      assertThat(s.value("junction_tracing_spans_exported_total", "result", "success")).isEqualTo(0.0);
      assertThat(s.value("junction_gateway_requests_seconds_count", "route", "api", "outcome", "success")).isEqualTo(REQUESTS);
    }
  }

  @Test
  void aCollectorThatRefusesConnectionsCostsRequestsNothingAndFailuresAreCounted() throws Exception {
    try (TestUpstream upstream = new TestUpstream();
         JunctionTestKit kit = tracedKit(upstream, "http://127.0.0.1:" + FreePorts.next() + "/v1/traces")) {
      long slowest = drive(kit);
      assertThat(slowest).as("slowest request (ms) with the collector down").isLessThan(2_000);
      Eventually.until("failed exports are counted", Duration.ofSeconds(15),
        () -> Scrape.of(kit).value("junction_tracing_spans_exported_total", "result", "failure") > 0);
      assertThat(Scrape.of(kit).value("junction_tracing_spans_exported_total", "result", "success")).isEqualTo(0.0);
    }
  }

  private static JunctionTestKit tracedKit(TestUpstream upstream, String endpoint) {
    return JunctionTestKit.builder()
      .env("JUNCTION_HTTP_ACCESSLOG", "false")
      .env("JUNCTION_TRACING_ENABLED", "true")
      .env("JUNCTION_TRACING_EXPORTER", "otlp-http")
      .env("JUNCTION_TRACING_ENDPOINT", endpoint)
      .env("JUNCTION_TRACING_QUEUESIZE", "16")
      .env("JUNCTION_TRACING_EXPORTTIMEOUT", "30s")
      .yaml("""
        gateway:
          routes:
            - id: api
              uri: %s
              predicates: [ "Path=/api/**" ]
              filters: [ "StripPrefix=1" ]
        """.formatted(upstream.url())).start();
  }

  /** Sends the requests one after another; all must succeed. Returns the slowest in ms. */
  private static long drive(JunctionTestKit kit) {
    long slowest = 0;
    for (int i = 0; i < REQUESTS; i++) {
      long t0 = System.nanoTime();
      assertThat(kit.get("/api/echo/" + i).statusCode()).isEqualTo(200);
      slowest = Math.max(slowest, (System.nanoTime() - t0) / 1_000_000);
    }
    return slowest;
  }

  /** Accepts connections and never answers (a hung collector). */
  static final class Blackhole implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    Blackhole() throws IOException {
      Thread t = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            held.add(server.accept());
          } catch (IOException e) {
            return;
          }
        }
      }, "blackhole-collector");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
