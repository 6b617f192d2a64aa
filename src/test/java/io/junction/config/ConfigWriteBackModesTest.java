package io.junction.config;

import io.junction.testkit.ContractClient;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When {@code PUT /api/v1/config} refuses (409 {@code write_back_off}): without Kubernetes, with
 * {@code config.kubernetes.writeBack} false, in whole-map mode; and write-back with the watch off, where the ETag
 * comes from the API server and the written document arrives through the scan.
 */
class ConfigWriteBackModesTest {
  static final String MAP = "junction-config";
  TestKubernetes k8s;
  TestUpstream upstream;
  JunctionTestKit kit;
  ContractClient api;
  String token;

  @BeforeEach
  void servers() throws Exception {
    k8s = TestKubernetes.start();
    upstream = new TestUpstream();
  }

  @AfterEach
  void stop() throws Exception {
    if (api != null) {
      api.close();
    }
    if (kit != null) {
      kit.close();
    }
    upstream.close();
    k8s.close();
  }

  String yaml(String routeId) {
    return "gateway:\n  routes:\n    - id: " + routeId + "\n      uri: " + upstream.url() + "\n      predicates: [\"Path=/" + routeId + "/**\"]\n";
  }

  void start(JunctionTestKit.Builder builder) {
    kit = builder.start();
    api = ContractClient.admin(kit);
    try (ContractClient platform = ContractClient.platform(kit)) {
      token = platform.post("/auth/login").json(new JsonObject().put("email", JunctionTestKit.ADMIN_EMAIL)
        .put("password", JunctionTestKit.ADMIN_PASSWORD)).send().json().getString("accessToken");
    }
  }

  JunctionTestKit.Builder inKubernetes(Map<String, String> extraEnv) {
    JunctionTestKit.Builder builder = JunctionTestKit.builder();
    k8s.env(MAP, null).forEach(builder::env);
    extraEnv.forEach(builder::env);
    return builder;
  }

  String mapVersion() {
    return k8s.client().configMaps().inNamespace(TestKubernetes.NAMESPACE).withName(MAP).get().getMetadata().getResourceVersion();
  }

  ContractClient.Response put(String etag, String document) {
    return api.put("/api/v1/config").bearer(token).header("If-Match", etag).body("application/yaml", document).send();
  }

  @Test
  void withoutKubernetesThePutIsRefusedAndTheReadsHaveNoEtag() {
    start(JunctionTestKit.builder().yaml(yaml("local")));
    ContractClient.Response read = api.get("/api/v1/config").bearer(token).send();
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.header("ETag")).isNull();
    ContractClient.Response r = put("\"1\"", yaml("other"));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.error()).isEqualTo("write_back_off");
    assertThat(r.json().getString("message")).contains("config.kubernetes.enabled is false");
    assertThat(kit.get("/local/x").statusCode()).isEqualTo(200);
  }

  @Test
  void withWriteBackOffThePutIsRefusedAndTheMapUntouched() {
    k8s.putConfigMap(MAP, Map.of("junction.yaml", yaml("first")));
    start(inKubernetes(Map.of()));
    String version = mapVersion();
    Eventually.until("the ETag names the map's version", Duration.ofSeconds(5),
      () -> ("\"" + version + "\"").equals(api.get("/api/v1/config/status").bearer(token).send().header("ETag")));
    ContractClient.Response r = put("\"" + version + "\"", yaml("second"));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.error()).isEqualTo("write_back_off");
    assertThat(r.json().getString("message")).contains("config.kubernetes.writeBack is false").contains("kubectl");
    assertThat(mapVersion()).isEqualTo(version);
  }

  @Test
  void inWholeMapModeThePutIsRefused() {
    k8s.putConfigMap(MAP, Map.of("gateway", "routes:\n  - id: first\n    uri: " + upstream.url() + "\n    predicates: [\"Path=/first/**\"]\n"));
    start(inKubernetes(Map.of("JUNCTION_CONFIG_KUBERNETES_KEY", "", "JUNCTION_CONFIG_KUBERNETES_WRITEBACK", "true")));
    assertThat(kit.get("/first/x").statusCode()).as("the whole-map ConfigMap is read").isEqualTo(200);
    String version = mapVersion();
    ContractClient.Response r = put("\"" + version + "\"", yaml("second"));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.error()).isEqualTo("write_back_off");
    assertThat(r.json().getString("message")).contains("whole-map mode");
    assertThat(mapVersion()).isEqualTo(version);
  }

  @Test
  void withTheWatchOffTheEtagComesFromTheApiServerAndTheWriteArrivesThroughTheScan() {
    k8s.putConfigMap(MAP, Map.of("junction.yaml", yaml("first")));
    start(inKubernetes(Map.of("JUNCTION_CONFIG_KUBERNETES_WATCH", "false", "JUNCTION_CONFIG_KUBERNETES_WRITEBACK", "true")));
    ContractClient.Response read = api.get("/api/v1/config").bearer(token).send();
    assertThat(read.header("ETag")).isEqualTo("\"" + mapVersion() + "\"");
    ContractClient.Response r = put(read.header("ETag"), yaml("second"));
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    assertThat(mapVersion()).isEqualTo(r.json().getString("resourceVersion"));
    Eventually.until("/second serves through the scan", Duration.ofSeconds(5), () -> kit.get("/second/x").statusCode() == 200);
    assertThat(api.get("/api/v1/config/status").bearer(token).send().header("ETag")).isEqualTo(r.header("ETag"));
  }
}
