package io.junction.observability;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Paths are never tags: 10,000 requests with distinct random paths add no time series. */
class MetricsCardinalityTest {
  private static final int REQUESTS = 10_000;

  @Test
  void distinctRandomPathsDoNotCreateSeries() throws Exception {
    try (TestUpstream upstream = new TestUpstream();
         JunctionTestKit kit = JunctionTestKit.builder().env("JUNCTION_HTTP_ACCESSLOG", "false").yaml("""
           gateway:
             routes:
               - id: api
                 uri: %s
                 predicates: [ "Path=/api/**" ]
                 filters: [ "StripPrefix=1" ]
           """.formatted(upstream.url())).start()) {
      Vertx vertx = Vertx.vertx();
      try {
        HttpClient client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(16));
        // warm up: every kind of answer the random traffic will get (routed 200, routed 404, unrouted 404)
        send(client, kit, List.of("/api/echo/warm", "/api/status/404", "/unrouted/warm"));
        Scrape.of(kit); // the scrape's own admin request: its series exist from the second scrape on
        Set<Scrape.Series> before = relevant(Scrape.of(kit));

        List<String> paths = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
          String token = UUID.randomUUID().toString();
          paths.add(switch (i % 3) {
            case 0 -> "/api/echo/" + token;
            case 1 -> "/api/status/404?" + token + "=" + token;
            default -> "/" + token + "/x";
          });
        }
        int[] statuses = send(client, kit, paths);
        assertThat(statuses[2] + statuses[4]).isEqualTo(REQUESTS);

        Scrape after = Scrape.of(kit);
        Set<Scrape.Series> added = new HashSet<>(relevant(after));
        added.removeAll(before);
        assertThat(added).as("series added by random paths").isEmpty();
        assertThat(relevant(after)).hasSameSizeAs(before);
        // and the traffic was counted, in the series that existed before it
        assertThat(after.sum("junction_gateway_requests_seconds_count", "route", "api")).isEqualTo(2.0 + 2 * REQUESTS / 3 + 1);
      } finally {
        vertx.close().await(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Series whose number follows the traffic's shape (not JVM or process meters, which change on their own). */
  private static Set<Scrape.Series> relevant(Scrape scrape) {
    Set<Scrape.Series> out = new HashSet<>();
    for (Scrape.Series s : scrape.series()) {
      if (!s.name().startsWith("jvm_") && !s.name().startsWith("process_") && !s.name().startsWith("system_")) {
        out.add(s);
      }
    }
    return out;
  }

  /** Sends every path (at most 64 in flight), returns counts by status class (index 2 = 2xx, 4 = 4xx). */
  private static int[] send(HttpClient client, JunctionTestKit kit, List<String> paths) throws Exception {
    int[] classes = new int[6];
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < 64; w++) {
      workers.add(worker(client, kit.publicPort(), paths, next, classes));
    }
    Future.all(workers).await(3, TimeUnit.MINUTES);
    return classes;
  }

  private static Future<Void> worker(HttpClient client, int port, List<String> paths, AtomicInteger next, int[] classes) {
    int i = next.getAndIncrement();
    if (i >= paths.size()) {
      return Future.succeededFuture();
    }
    return client.request(HttpMethod.GET, port, "127.0.0.1", paths.get(i))
      .compose(req -> req.send())
      .compose(resp -> resp.body().map(b -> resp.statusCode()))
      .compose(status -> {
        synchronized (classes) {
          classes[status / 100]++;
        }
        return worker(client, port, paths, next, classes);
      });
  }
}
