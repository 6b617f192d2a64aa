package io.junction.routes;

import io.junction.testkit.Eventually;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.junction.routes.RoutesApiTest.route;
import static org.assertj.core.api.Assertions.assertThat;

/** Changes committed within routes.debounce of each other reach the route table in one rebuild. */
class RouteDebounceTest {
  private static final Pattern REBUILDS = Pattern.compile("(?m)^junction_route_table_rebuild_seconds_count(?:\\{[^}]*\\})? ([0-9.]+)");

  static long rebuilds(JunctionTestKit kit) {
    Matcher m = REBUILDS.matcher(kit.admin("/metrics").body());
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void manyChangesInOneWindowAreOneRebuild() throws Exception {
    try (TestUpstream upstream = new TestUpstream("u");
         JunctionTestKit kit = JunctionTestKit.builder().env("JUNCTION_ROUTES_DEBOUNCE", "1s").start()) {
      RoutesClient client = new RoutesClient(kit);
      long before = rebuilds(kit);
      long t0 = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        client.create(route("d" + i, upstream.url(), "/d" + i + "/**"));
      }
      assertThat((System.nanoTime() - t0) / 1_000_000).as("the five creates took less than the window").isLessThan(1000);
      Eventually.until("all five served", Duration.ofSeconds(10), () -> kit.get("/d4/x").statusCode() == 200 && kit.get("/d0/x").statusCode() == 200);
      Thread.sleep(1500); // a second rebuild, if any, would have run by now
      assertThat(rebuilds(kit) - before).isEqualTo(1);
      assertThat(new JsonObject(kit.get("/d2/x").body()).getString("upstream")).isEqualTo("u");
    }
  }
}
