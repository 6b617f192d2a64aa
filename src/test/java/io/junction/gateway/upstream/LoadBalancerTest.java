package io.junction.gateway.upstream;

import static io.junction.gateway.upstream.UpstreamTestSupport.registry;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each balancer over three real upstreams: who gets the traffic. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoadBalancerTest {
  static Vertx vertx;
  static UpstreamTestSupport.Caller caller;
  static TestUpstream a;
  static TestUpstream b;
  static TestUpstream c;

  @BeforeAll
  static void startUpstreams() throws Exception {
    vertx = Vertx.vertx();
    caller = new UpstreamTestSupport.Caller(vertx);
    a = TestUpstream.start(vertx, "a");
    b = TestUpstream.start(vertx, "b");
    c = TestUpstream.start(vertx, "c");
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  private static Service service(String balancer, JsonArray instances) {
    JsonObject config = new JsonObject().put("instances", instances).put("loadBalancer", balancer);
    if (balancer.equals("consistent-hash")) {
      config.put("hashOn", new JsonObject().put("header", "X-User-Id"));
    }
    return registry(new JsonObject().put("svc", config)).get("svc");
  }

  private static Service service(String balancer) {
    return service(balancer, new JsonArray().add(a.url()).add(b.url()).add(c.url()));
  }

  private static String nameOf(Instance instance) {
    return instance.port() == a.port() ? "a" : instance.port() == b.port() ? "b" : "c";
  }

  @Test
  void roundRobinTakesEachInTurn() throws Exception {
    Service service = service("round-robin");
    List<String> first = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      first.add(caller.call(service, null));
    }
    assertThat(first).containsExactly("a", "b", "c", "a", "b", "c");
    assertThat(caller.spread(service, 300)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 100, "b", 100, "c", 100));
  }

  @Test
  void roundRobinIsExactAcrossThreads() throws Exception {
    Service service = service("round-robin");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Map<String, Integer>>> parts = new ArrayList<>();
      Callable<Map<String, Integer>> picker = () -> {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 30_000; i++) {
          counts.merge(nameOf(service.choose(null)), 1, Integer::sum);
        }
        return counts;
      };
      for (int t = 0; t < 4; t++) {
        parts.add(pool.submit(picker));
      }
      Map<String, Integer> total = new HashMap<>();
      for (Future<Map<String, Integer>> part : parts) {
        part.get(20, TimeUnit.SECONDS).forEach((k, v) -> total.merge(k, v, Integer::sum));
      }
      assertThat(total).containsExactlyInAnyOrderEntriesOf(Map.of("a", 40_000, "b", 40_000, "c", 40_000));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void weightedIsSmoothAndExactOverACycle() throws Exception {
    Service service = service("weighted", new JsonArray()
        .add(new JsonObject().put("url", a.url()).put("weight", 5))
        .add(b.url())
        .add(new JsonObject().put("url", c.url()).put("weight", 1)));
    List<String> cycle = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      cycle.add(caller.call(service, null));
    }
    assertThat(cycle).containsExactly("a", "a", "b", "a", "c", "a", "a"); // nginx's smooth order
    assertThat(caller.spread(service, 700)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 500, "b", 100, "c", 100));
  }

  @Test
  void weightedProportionsReduceByCommonDivisor() throws Exception {
    Service service = service("weighted", new JsonArray()
        .add(new JsonObject().put("url", a.url()).put("weight", 20))
        .add(new JsonObject().put("url", b.url()).put("weight", 40))
        .add(new JsonObject().put("url", c.url()).put("weight", 60)));
    assertThat(caller.spread(service, 600)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 100, "b", 200, "c", 300));
  }

  @Test
  void weightedSpreadsTheShareOfAnUnavailableInstanceByWeight() {
    Service service = service("weighted", new JsonArray()
        .add(new JsonObject().put("url", a.url()).put("weight", 2))
        .add(new JsonObject().put("url", b.url()).put("weight", 1))
        .add(new JsonObject().put("url", c.url()).put("weight", 3)));
    service.instances().get(2).healthy(false);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 6000; i++) {
      counts.merge(nameOf(service.choose(null)), 1, Integer::sum);
    }
    assertThat(counts).containsOnlyKeys("a", "b");
    assertThat(counts.get("a")).isBetween(3700, 4300); // 2:1
  }

  @Test
  void leastRequestsPicksTheIdleOne() throws Exception {
    Service service = service("least-requests");
    Instance ia = service.instances().get(0);
    Instance ib = service.instances().get(1);
    ia.begin();
    ia.begin();
    ib.begin();
    for (int i = 0; i < 10; i++) {
      assertThat(caller.call(service, null)).isEqualTo("c"); // c is idle between calls
    }
    ia.end(true);
    ia.end(true); // a: 0, b: 1, c: 0 → a and c share
    assertThat(caller.spread(service, 100)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 50, "c", 50));
    ib.end(true);
    assertThat(caller.spread(service, 99)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 33, "b", 33, "c", 33));
  }

  @Test
  void leastRequestsFollowsLoadAsItBuilds() {
    Service service = service("least-requests");
    for (int i = 0; i < 30; i++) {
      service.choose(null).begin(); // nothing ends: each pick adds load
    }
    assertThat(service.instances()).extracting(Instance::inFlight).containsExactly(10, 10, 10);
  }

  @Test
  void powerOfTwoPrefersTheLessLoaded() throws Exception {
    Service service = service("power-of-two");
    Instance ia = service.instances().get(0);
    for (int i = 0; i < 10; i++) {
      ia.begin();
    }
    Map<String, Integer> counts = caller.spread(service, 300);
    // a can only win a draw against itself, and the two choices are distinct
    assertThat(counts).doesNotContainKey("a");
    assertThat(counts.get("b")).isBetween(100, 200);
    assertThat(counts.get("c")).isBetween(100, 200);
    for (int i = 0; i < 10; i++) {
      ia.end(true);
    }
    assertThat(caller.spread(service, 300)).containsKeys("a", "b", "c");
  }

  @Test
  void consistentHashSendsTheSameKeyToTheSameInstanceAndSpreadsKeys() throws Exception {
    Service service = service("consistent-hash");
    Map<String, Integer> perInstance = new HashMap<>();
    for (int k = 0; k < 1000; k++) {
      String key = "user-" + k;
      String first = caller.call(service, key);
      assertThat(caller.call(service, key)).isEqualTo(first);
      perInstance.merge(first, 1, Integer::sum);
    }
    assertThat(perInstance).containsOnlyKeys("a", "b", "c");
    assertThat(perInstance.values()).allSatisfy(n -> assertThat(n).isBetween(200, 470));
  }

  @Test
  void consistentHashRemovingAnInstanceMovesOnlyItsKeys() {
    Service three = service("consistent-hash");
    Service two = service("consistent-hash", new JsonArray().add(a.url()).add(b.url()));
    int moved = 0;
    for (int k = 0; k < 2000; k++) {
      String key = "session-" + k;
      String before = nameOf(three.choose(key));
      String after = nameOf(two.choose(key));
      if (before.equals("c")) {
        moved++;
        assertThat(after).isIn("a", "b");
      } else {
        assertThat(after).as(key).isEqualTo(before);
      }
    }
    assertThat(moved).isBetween(400, 950);
  }

  @Test
  void consistentHashOnAnUnavailableInstanceMovesOnlyItsKeysAndBackAgain() {
    Service service = service("consistent-hash");
    Map<String, String> before = new HashMap<>();
    for (int k = 0; k < 1000; k++) {
      before.put("k" + k, nameOf(service.choose("k" + k)));
    }
    Instance ib = service.instances().get(1);
    ib.healthy(false);
    before.forEach((key, was) -> {
      String now = nameOf(service.choose(key));
      if (was.equals("b")) {
        assertThat(now).isIn("a", "c");
      } else {
        assertThat(now).isEqualTo(was);
      }
    });
    ib.healthy(true);
    before.forEach((key, was) -> assertThat(nameOf(service.choose(key))).isEqualTo(was));
  }

  @Test
  void consistentHashGivesKeysInProportionToWeight() {
    Service service = service("consistent-hash", new JsonArray().add(a.url()).add(b.url())
        .add(new JsonObject().put("url", c.url()).put("weight", 2)));
    Map<String, Integer> perInstance = new HashMap<>();
    for (int k = 0; k < 4000; k++) {
      perInstance.merge(nameOf(service.choose("id-" + k)), 1, Integer::sum);
    }
    assertThat(perInstance.get("c")).isBetween(1600, 2400);
  }

  @Test
  void consistentHashWithoutAKeyIsRoundRobin() throws Exception {
    Service service = service("consistent-hash");
    assertThat(caller.spread(service, 90)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 30, "b", 30, "c", 30));
    assertThat(caller.call(service, "")).isIn("a", "b", "c");
  }

  @Test
  void roundRobinSpreadsTheShareOfAnUnavailableInstanceEvenly() throws Exception {
    Service service = service("round-robin");
    service.instances().get(2).healthy(false);
    assertThat(caller.spread(service, 300)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 150, "b", 150));
  }

  @ParameterizedTest
  @ValueSource(strings = {"round-robin", "weighted", "least-requests", "power-of-two", "consistent-hash"})
  void everyBalancerSkipsUnavailableInstances(String balancer) throws Exception {
    Service service = service(balancer);
    service.instances().get(1).healthy(false);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      counts.merge(caller.call(service, i % 2 == 0 ? "key-" + i : null), 1, Integer::sum);
    }
    assertThat(counts).containsOnlyKeys("a", "c");
    service.instances().get(0).healthy(false);
    service.instances().get(2).healthy(false);
    assertThat(service.choose("key-1")).isNull();
    assertThat(service.choose(null)).isNull();
  }
}
