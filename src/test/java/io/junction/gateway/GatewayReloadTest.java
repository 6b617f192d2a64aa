package io.junction.gateway;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Route tables are swapped whole while traffic flows: no request fails, and a bad config never replaces a good one. */
class GatewayReloadTest {

  private static JsonObject gateway(String uri, String header) {
    return new JsonObject().put("routes", new JsonArray().add(new JsonObject()
      .put("id", "api").put("uri", uri)
      .put("predicates", new JsonArray().add("Path=/api/**"))
      .put("filters", new JsonArray().add("StripPrefix=1").add("AddRequestHeader=X-Version, " + header))));
  }

  @Test
  void fiftySwapsUnderABoundedLoadLoseNoRequest() throws Exception {
    try (TestUpstream a = new TestUpstream("a"); TestUpstream b = new TestUpstream("b");
         JunctionTestKit kit = JunctionTestKit.builder().yaml("gateway:\n  routes:\n    - id: api\n      uri: " + a.url()
           + "\n      predicates: [\"Path=/api/**\"]\n      filters: [\"StripPrefix=1\", \"AddRequestHeader=X-Version, v0\"]\n").start()) {
      int total = 6000;
      AtomicInteger next = new AtomicInteger();
      AtomicInteger failures = new AtomicInteger();
      Map<String, Integer> seen = new ConcurrentHashMap<>();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> workers = new java.util.ArrayList<>();
      for (int w = 0; w < 8; w++) {
        workers.add(pool.submit(() -> {
          while (next.getAndIncrement() < total) {
            try {
              HttpResponse<String> r = kit.get("/api/echo/x");
              if (r.statusCode() != 200) {
                failures.incrementAndGet();
                continue;
              }
              JsonObject echo = new JsonObject(r.body());
              assertThat(echo.getString("path")).isEqualTo("/echo/x");
              seen.merge(echo.getString("upstream") + "/" + echo.getJsonObject("headers").getString("x-version"), 1, Integer::sum);
            } catch (RuntimeException e) {
              failures.incrementAndGet();
            }
          }
        }));
      }
      // Straight to the gateway's config participant address, as the config module hands it a version.
      String gatewayAddress = kit.vertx().eventBus().<JsonObject>request("junction.config.participants", null)
        .await(5, TimeUnit.SECONDS).body().getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("module").equals("gateway")).findFirst().orElseThrow().getString("address");
      for (int swap = 1; swap <= 50; swap++) {
        TestUpstream target = swap % 2 == 0 ? a : b;
        kit.vertx().eventBus().send(gatewayAddress, new JsonObject().put("version", 100 + swap)
          .put("sections", new JsonObject().put("gateway", gateway(target.url(), "v" + swap)).put("services", new JsonObject())));
        Thread.sleep(20);
      }
      for (Future<?> f : workers) {
        f.get(2, TimeUnit.MINUTES);
      }
      pool.shutdown();
      assertThat(failures.get()).isZero();
      assertThat(seen.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(total);
      assertThat(seen.keySet()).anyMatch(k -> k.startsWith("a/")).anyMatch(k -> k.startsWith("b/"));
      assertThat(seen).as("every answer pairs the upstream with the header of the same snapshot")
        .allSatisfy((key, n) -> {
          String version = key.substring(key.indexOf("/v") + 2);
          int v = Integer.parseInt(version);
          assertThat(key).startsWith(v == 0 || v % 2 == 0 ? "a/" : "b/");
        });
    }
  }

  @Test
  void aBadConfigIsRefusedAndTheLastGoodKeepsServing() throws Exception {
    try (TestUpstream a = new TestUpstream("a");
         JunctionTestKit kit = JunctionTestKit.builder().yaml("gateway:\n  routes:\n    - id: api\n      uri: " + a.url()
           + "\n      predicates: [\"Path=/api/**\"]\n").start()) {
      assertThat(kit.get("/api/x").statusCode()).isEqualTo(200);
      kit.writeConfig("gateway:\n  routes:\n    - id: api\n      uri: " + a.url() + "\n      predicates: [\"Path=/api/**\"]\n      filters: [\"NoSuchFilter=1\"]\n"
        + "    - id: other\n      uri: lb://missing\n      predicates: [\"Path=/other/**\"]\n");
      Thread.sleep(500);
      assertThat(kit.get("/api/x").statusCode()).isEqualTo(200);
      assertThat(kit.get("/other/x").statusCode()).isEqualTo(404);

      kit.writeConfig("gateway:\n  routes:\n    - id: api2\n      uri: " + a.url() + "\n      predicates: [\"Path=/v2/**\"]\n");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (kit.get("/v2/x").statusCode() != 200) {
        assertThat(System.nanoTime()).as("new route served within 5 s").isLessThan(deadline);
        Thread.sleep(20);
      }
      assertThat(kit.get("/api/x").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void unknownFilterOrServiceAtBootStopsTheGatewayModuleNamingTheRoute() {
    Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: users
            uri: lb://user-service
            predicates: [ "Path=/users/**" ]
            filters: [ "StripPrefx=1" ]
          - id: users
            uri: http://127.0.0.1:1
            predicates: [ "Path=/u/**", "Header=X-Id, [" ]
      """).start());
    assertThat(failure).hasMessageContaining("module gateway")
      .hasMessageContaining("route 'users'")
      .hasMessageContaining("user-service")
      .hasMessageContaining("duplicate");
  }
}
