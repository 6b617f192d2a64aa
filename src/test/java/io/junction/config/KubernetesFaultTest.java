package io.junction.config;

import io.junction.testkit.Eventually;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestKubernetes;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API server misbehaves — a rotated token (401), 500s for a while, gone altogether — and Junction keeps
 * serving its last good configuration, never applies an empty one, and recovers by itself.
 */
class KubernetesFaultTest {
  TestKubernetes k8s;
  TestUpstream upstream;
  JunctionTestKit kit;

  String yaml(String routeId) {
    return "gateway:\n  routes:\n    - id: " + routeId + "\n      uri: " + upstream.url() + "\n      predicates: [\"Path=/" + routeId + "/**\"]\n";
  }

  void start(boolean watch) throws Exception {
    k8s = TestKubernetes.start();
    upstream = new TestUpstream();
    k8s.putConfigMap("junction-config", Map.of("junction.yaml", yaml("first")));
    JunctionTestKit.Builder builder = JunctionTestKit.builder().env("JUNCTION_CONFIG_KUBERNETES_WATCH", String.valueOf(watch));
    k8s.env("junction-config", null).forEach(builder::env);
    kit = builder.start();
    assertThat(kit.get("/first/x").statusCode()).isEqualTo(200);
  }

  @AfterEach
  void stop() throws Exception {
    if (kit != null) {
      kit.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (k8s != null) {
      k8s.close();
    }
  }

  JsonObject status() throws Exception {
    return (JsonObject) kit.vertx().eventBus().request(ConfigVerticle.STATUS_ADDRESS, null).await(5, TimeUnit.SECONDS).body();
  }

  JsonObject applied() throws Exception {
    return (JsonObject) kit.vertx().eventBus().request(ConfigVerticle.GET_ADDRESS, null).await(5, TimeUnit.SECONDS).body();
  }

  @Test
  void aRotatedTokenIsReadAgainAfterOne401() throws Exception {
    start(false);
    k8s.rotateToken();
    k8s.putConfigMap("junction-config", Map.of("junction.yaml", yaml("second")));
    Eventually.until("/second serves with the new token", Duration.ofSeconds(5), () -> kit.get("/second/x").statusCode() == 200);
    assertThat(k8s.unauthorizedAnswers()).as("the old token was refused, then not used again").isBetween(1, 3);
    assertThat(status().getValue("sourceError")).isNull();
  }

  @Test
  void fiveHundredsForAWhileKeepTheLastGoodConfigAndNothingEmptyIsApplied() throws Exception {
    start(false);
    long versionBefore = status().getJsonObject("applied").getLong("version");
    k8s.failWith(500);
    Eventually.until("the failure is reported", Duration.ofSeconds(5), () -> status().getValue("sourceError") != null);
    assertThat(status().getJsonObject("sourceError").getString("error")).contains("500");
    Thread.sleep(500); // several failed scans
    assertThat(status().getJsonObject("applied").getLong("version")).isEqualTo(versionBefore);
    assertThat(applied().getJsonObject("gateway").getJsonArray("routes").encode()).contains("first");
    assertThat(kit.get("/first/x").statusCode()).isEqualTo(200);
    k8s.putConfigMap("junction-config", Map.of("junction.yaml", yaml("second"))); // edited during the outage
    k8s.failWith(0);
    Eventually.until("recovered by itself", Duration.ofSeconds(5), () -> kit.get("/second/x").statusCode() == 200);
    assertThat(status().getValue("sourceError")).isNull();
    assertThat(status().getLong("rejectedTotal")).as("an outage is not a refused config").isZero();
  }

  @Test
  void anApiServerThatGoesAwayIsWaitedForAndTheWatchResumes() throws Exception {
    start(true);
    Eventually.until("watching", Duration.ofSeconds(5), () -> status().getJsonObject("kubernetes").getBoolean("watching"));
    int watchesBefore = k8s.watchRequests();
    k8s.goAway();
    Eventually.until("the outage is seen", Duration.ofSeconds(5),
      () -> !status().getJsonObject("kubernetes").getBoolean("watching") && status().getValue("sourceError") != null);
    Thread.sleep(500);
    assertThat(kit.get("/first/x").statusCode()).isEqualTo(200);
    assertThat(applied().getJsonObject("gateway").getJsonArray("routes").encode()).contains("first");
    k8s.putConfigMap("junction-config", Map.of("junction.yaml", yaml("second"))); // edited while unreachable
    k8s.comeBack();
    Eventually.until("/second serves", Duration.ofSeconds(10), () -> kit.get("/second/x").statusCode() == 200);
    Eventually.until("the watch resumed", Duration.ofSeconds(10), () -> status().getJsonObject("kubernetes").getBoolean("watching"));
    assertThat(k8s.watchRequests()).isGreaterThan(watchesBefore);
    k8s.putConfigMap("junction-config", Map.of("junction.yaml", yaml("third")));
    Eventually.until("/third serves through the resumed watch", Duration.ofSeconds(1), () -> kit.get("/third/x").statusCode() == 200);
  }
}
