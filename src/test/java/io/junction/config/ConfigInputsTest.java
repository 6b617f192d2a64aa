package io.junction.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** ConfigMap/Secret payloads to config layers (key mode and whole-map mode), and where the API server is. */
class ConfigInputsTest {
  static final ConfigSchema SCHEMA = ConfigSchema.get();

  @Test
  void wholeMapEntriesAreKeyPathsOrSectionsReadAsYaml() {
    List<String> problems = new ArrayList<>();
    JsonObject layer = ConfigInputs.layer(new JsonObject().put("logging.level", "DEBUG").put("http.public.port", new BigInteger("9090"))
      .put("gateway", "routes:\n  - id: a\n    uri: http://x\n"), "configmap/ns/m", false, SCHEMA, problems);
    assertThat(problems).isEmpty();
    assertThat(layer.getJsonObject("logging").getString("level")).isEqualTo("DEBUG");
    assertThat(layer.getJsonObject("http").getJsonObject("public").getInteger("port")).isEqualTo(9090);
    assertThat(layer.getJsonObject("gateway").getJsonArray("routes").getJsonObject(0).getString("id")).isEqualTo("a");
  }

  @Test
  void aSecretValueTheStoreConvertedIsRefusedNotGuessedAndNeverShown() {
    List<String> problems = new ArrayList<>();
    ConfigInputs.layer(new JsonObject().put("identity.bootstrapAdmin.password", new BigInteger("123456789012")), "secret/ns/s", true, SCHEMA, problems);
    assertThat(problems).singleElement().asString().contains("identity.bootstrapAdmin.password").contains("secretKey").doesNotContain("123456789012");
  }

  @Test
  void unknownEntriesEmptyDocumentsAndMissingKeysAreProblems() {
    List<String> problems = new ArrayList<>();
    ConfigInputs.layer(new JsonObject().put("no.such.key", "1"), "configmap/ns/m", false, SCHEMA, problems);
    ConfigInputs.layer("   \n", "configmap/ns/m[junction.yaml]", false, SCHEMA, problems);
    ConfigInputs.layer(new ConfigInputs.MissingKey("junction.yaml"), "configmap/ns/m[junction.yaml]", false, SCHEMA, problems);
    assertThat(problems).hasSize(3);
    assertThat(problems.get(0)).contains("no.such.key");
    assertThat(problems.get(1)).contains("empty");
    assertThat(problems.get(2)).contains("'junction.yaml' is missing");
  }

  @Test
  void aWatchEventAndTheStoreGiveTheSameInputs() {
    KubernetesSettings kube = KubernetesSettings.from(new JsonObject().put("key", "junction.yaml"), Map.of());
    JsonObject map = new JsonObject().put("data", new JsonObject().put("junction.yaml", "logging: {level: WARN}\n"));
    Object fromWatch = ConfigInputs.fromConfigMap(map, kube);
    Object fromStore = ConfigInputs.fromStore("logging: {level: WARN}\n", false);
    assertThat(new ConfigInputs(null, fromWatch, true, null).hash()).isEqualTo(new ConfigInputs(null, fromStore, true, null).hash());
    assertThat(ConfigInputs.fromConfigMap(new JsonObject().put("data", new JsonObject()), kube)).isInstanceOf(ConfigInputs.MissingKey.class);
  }

  @Test
  void kubernetesServiceVariablesWinOverTheConfiguredApiServerAsInTheStore() {
    JsonObject k = new JsonObject().put("apiServer", "http://127.0.0.1:1234").put("namespace", "");
    KubernetesSettings outside = KubernetesSettings.from(k, Map.of("KUBERNETES_NAMESPACE", "shop"));
    assertThat(outside.baseUrl()).isEqualTo("http://127.0.0.1:1234");
    assertThat(outside.namespace()).isEqualTo("shop");
    KubernetesSettings inPod = KubernetesSettings.from(k, Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443"));
    assertThat(inPod.baseUrl()).isEqualTo("https://10.96.0.1:443");
    assertThat(inPod.tokenFile()).isEqualTo(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"));
  }
}
