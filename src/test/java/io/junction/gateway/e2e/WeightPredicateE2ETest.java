package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static io.junction.gateway.e2e.E2E.upstreamHeaders;
import static org.assertj.core.api.Assertions.assertThat;

/** Weight predicate through a running Junction: traffic split within a group, weight 0, and both arg spellings. */
class WeightPredicateE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("weight");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: stable
            uri: %1$s
            predicates: [ "Path=/w/**", "Weight=group1, 8" ]
            filters: [ "AddRequestHeader=X-Route, stable" ]
          - id: canary
            uri: %1$s
            predicates:
              - Path=/w/**
              - name: Weight
                args: { group: group1, weight: 2 }
            filters: [ "AddRequestHeader=X-Route, canary" ]
          - id: only
            uri: %1$s
            predicates: [ "Path=/z/**", "Weight=group2, 1" ]
            filters: [ "AddRequestHeader=X-Route, only" ]
          - id: drained
            uri: %1$s
            predicates:
              - Path=/z/**
              - name: Weight
                args: { weight.group: group2, weight.weight: 0 }
            filters: [ "AddRequestHeader=X-Route, drained" ]
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  private static Map<String, Integer> spread(String path, int requests) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < requests; i++) {
      counts.merge(upstreamHeaders(kit, path).getString("x-route"), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void trafficIsSplitByWeight() {
    Map<String, Integer> counts = spread("/w/x", 300);
    assertThat(counts).containsOnlyKeys("stable", "canary");
    // expected 240 : 60; the bounds are more than 5.5 standard deviations (6.9) wide
    assertThat(counts.get("stable")).isBetween(200, 280);
    assertThat(counts.get("canary")).isEqualTo(300 - counts.get("stable"));
  }

  @Test
  void weightZeroGetsNothingAndSpringsDottedArgNamesWork() {
    assertThat(spread("/z/x", 30)).containsOnlyKeys("only");
  }
}
