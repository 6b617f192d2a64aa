package io.junction.gateway;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** lb:// routes spread requests over a service's instances; a service with no live instance answers 503. */
class LoadBalancedRouteTest {

  @Test
  void roundRobinOverTwoInstancesAndWeights() throws Exception {
    try (TestUpstream a = new TestUpstream("a"); TestUpstream b = new TestUpstream("b");
         JunctionTestKit kit = JunctionTestKit.builder().yaml("""
           gateway:
             routes:
               - id: users
                 uri: lb://user-service
                 predicates: [ "Path=/users/**" ]
               - id: weighted
                 uri: lb://weighted
                 predicates: [ "Path=/w/**" ]
           services:
             user-service:
               instances: [ "%1$s", "%2$s" ]
             weighted:
               loadBalancer: weighted
               instances: [ "%1$s", { url: "%2$s", weight: 3 } ]
           """.formatted(a.url(), b.url())).start()) {
      Map<String, Integer> counts = new HashMap<>();
      for (int i = 0; i < 100; i++) {
        counts.merge(new JsonObject(kit.get("/users/" + i).body()).getString("upstream"), 1, Integer::sum);
      }
      assertThat(counts).containsEntry("a", 50).containsEntry("b", 50);
      Map<String, Integer> weighted = new HashMap<>();
      for (int i = 0; i < 100; i++) {
        weighted.merge(new JsonObject(kit.get("/w/" + i).body()).getString("upstream"), 1, Integer::sum);
      }
      assertThat(weighted).containsEntry("a", 25).containsEntry("b", 75);
    }
  }

  @Test
  void noLiveInstanceIs503() throws Exception {
    try (JunctionTestKit kit = JunctionTestKit.builder().yaml("""
           gateway:
             routes:
               - id: users
                 uri: lb://user-service
                 predicates: [ "Path=/users/**" ]
           services:
             user-service:
               instances: [ "http://127.0.0.1:1" ]
               healthCheck: { path: /health, interval: 100ms, timeout: 100ms, unhealthyThreshold: 1 }
           """).start()) {
      long deadline = System.nanoTime() + 5_000_000_000L;
      int status;
      do {
        status = kit.get("/users/1").statusCode();
        Thread.sleep(50);
      } while (status != 503 && System.nanoTime() < deadline);
      assertThat(status).isEqualTo(503);
      assertThat(new JsonObject(kit.get("/users/1").body()).getString("message")).contains("user-service");
    }
  }
}
