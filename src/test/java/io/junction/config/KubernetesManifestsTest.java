package io.junction.config;

import io.junction.gateway.GatewayConfigCheck;
import io.junction.gateway.filter.auth.JwksSources;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifests in k8s/ parse, and agree with each other and with the code: names, ports, labels, probes, the
 * grace period, the environment (every JUNCTION_* a config key), the ConfigMap's junction.yaml (a configuration
 * Junction accepts), and RBAC rules that allow exactly what the config module calls.
 */
class KubernetesManifestsTest {
  static final Path DIR = Path.of("k8s");
  static final List<JsonObject> docs = new ArrayList<>();
  static Vertx vertx;

  @BeforeAll
  static void read() throws Exception {
    vertx = Vertx.vertx();
    JsonObject kustomization = yaml(Files.readString(DIR.resolve("kustomization.yaml"))).get(0);
    for (Object file : kustomization.getJsonArray("resources")) {
      Path path = DIR.resolve((String) file);
      assertThat(path).as("kustomization lists " + file).exists();
      for (JsonObject doc : yaml(Files.readString(path))) {
        assertThat(doc.getString("apiVersion")).as(file + " apiVersion").isNotBlank();
        assertThat(doc.getString("kind")).as(file + " kind").isNotBlank();
        assertThat(doc.getJsonObject("metadata").getString("name")).as(file + " name").isNotBlank();
        docs.add(doc);
      }
    }
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static List<JsonObject> yaml(String text) {
    List<JsonObject> out = new ArrayList<>();
    for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
      if (doc != null) {
        @SuppressWarnings("unchecked") Map<String, Object> map = (Map<String, Object>) doc;
        out.add(new JsonObject(map));
      }
    }
    return out;
  }

  static JsonObject one(String kind) {
    List<JsonObject> found = all(kind);
    assertThat(found).as("one " + kind).hasSize(1);
    return found.get(0);
  }

  static List<JsonObject> all(String kind) {
    return docs.stream().filter(d -> kind.equals(d.getString("kind"))).toList();
  }

  static JsonObject pod() {
    return one("Deployment").getJsonObject("spec").getJsonObject("template");
  }

  static JsonObject container() {
    return pod().getJsonObject("spec").getJsonArray("containers").getJsonObject(0);
  }

  static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    for (Object e : container().getJsonArray("env")) {
      JsonObject var = (JsonObject) e;
      env.put(var.getString("name"), var.containsKey("value") ? var.getString("value") : "<" + var.getJsonObject("valueFrom").encode() + ">");
    }
    return env;
  }

  @Test
  void everyObjectIsOfAKindWeShipAndTheNamespaceExists() {
    assertThat(docs).extracting(d -> d.getString("kind")).contains("Namespace", "ServiceAccount", "Role", "RoleBinding", "ConfigMap",
      "Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler");
    JsonObject kustomization = yaml(read("kustomization.yaml")).get(0);
    assertThat(one("Namespace").getJsonObject("metadata").getString("name")).isEqualTo(kustomization.getString("namespace"));
  }

  static String read(String file) {
    try {
      return Files.readString(DIR.resolve(file));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void servicesBudgetAndAutoscalerSelectTheDeploymentsPodsOnItsNamedPorts() {
    JsonObject deployment = one("Deployment");
    JsonObject labels = pod().getJsonObject("metadata").getJsonObject("labels");
    assertThat(deployment.getJsonObject("spec").getJsonObject("selector").getJsonObject("matchLabels")).isEqualTo(labels);
    Map<String, Integer> ports = new HashMap<>();
    container().getJsonArray("ports").forEach(p -> ports.put(((JsonObject) p).getString("name"), ((JsonObject) p).getInteger("containerPort")));
    JsonObject defaults = new ConfigLoader(Map.of()).resolve(new JsonObject()).getJsonObject("http");
    assertThat(ports).containsEntry("http", defaults.getJsonObject("public").getInteger("port"))
      .containsEntry("admin", defaults.getJsonObject("admin").getInteger("port")).containsEntry("hazelcast", 5701);
    Map<String, JsonObject> services = new HashMap<>();
    for (JsonObject s : all("Service")) {
      services.put(s.getJsonObject("metadata").getString("name"), s);
      assertThat(s.getJsonObject("spec").getJsonObject("selector")).as("selector of " + s.getJsonObject("metadata").getString("name")).isEqualTo(labels);
      for (Object p : s.getJsonObject("spec").getJsonArray("ports")) {
        assertThat(ports).as("targetPort of " + s.getJsonObject("metadata").getString("name")).containsKey(((JsonObject) p).getString("targetPort"));
      }
    }
    assertThat(services.get("junction").getJsonObject("spec").getJsonArray("ports").getJsonObject(0).getInteger("port")).isEqualTo(8080);
    assertThat(services.get("junction-admin").getJsonObject("spec").getString("type")).isEqualTo("ClusterIP");
    assertThat(services.get("junction-admin").getJsonObject("spec").getJsonArray("ports").getJsonObject(0).getInteger("port")).isEqualTo(8081);
    assertThat(services.get("junction-hazelcast").getJsonObject("spec").getString("clusterIP")).isEqualTo("None");
    assertThat(one("PodDisruptionBudget").getJsonObject("spec").getJsonObject("selector").getJsonObject("matchLabels")).isEqualTo(labels);
    JsonObject hpa = one("HorizontalPodAutoscaler").getJsonObject("spec");
    assertThat(hpa.getJsonObject("scaleTargetRef").getString("name")).isEqualTo(deployment.getJsonObject("metadata").getString("name"));
    int replicas = deployment.getJsonObject("spec").getInteger("replicas");
    assertThat(replicas).isEqualTo(3);
    assertThat(hpa.getInteger("minReplicas")).isEqualTo(replicas);
    assertThat(one("PodDisruptionBudget").getJsonObject("spec").getInteger("maxUnavailable")).isLessThan(replicas);
  }

  @Test
  void probesResourcesAndTheGracePeriodMatchGracefulShutdown() {
    JsonObject c = container();
    assertThat(c.getJsonObject("readinessProbe").getJsonObject("httpGet").getString("path")).isEqualTo("/health/ready");
    assertThat(c.getJsonObject("readinessProbe").getJsonObject("httpGet").getString("port")).isEqualTo("admin");
    assertThat(c.getJsonObject("livenessProbe").getJsonObject("httpGet").getString("path")).isEqualTo("/health/live");
    assertThat(c.getJsonObject("resources").getJsonObject("requests").fieldNames()).contains("cpu", "memory");
    assertThat(c.getJsonObject("resources").getJsonObject("limits").fieldNames()).contains("memory");
    JsonArray preStop = c.getJsonObject("lifecycle").getJsonObject("preStop").getJsonObject("exec").getJsonArray("command");
    long preStopSeconds = Long.parseLong(preStop.getString(preStop.size() - 1));
    long grace = Durations.parse(configMapConfig().getJsonObject("shutdown").getValue("gracePeriod")).toSeconds();
    assertThat(pod().getJsonObject("spec").getLong("terminationGracePeriodSeconds")).isGreaterThan(preStopSeconds + grace);
    assertThat(pod().getJsonObject("spec").getBoolean("enableServiceLinks")).isFalse();
    assertThat(env().get("JAVA_TOOL_OPTIONS")).contains("MaxRAMPercentage");
  }

  /** Boot config as the pod gets it: defaults + the Deployment's JUNCTION_* env + the ConfigMap's junction.yaml. */
  static JsonObject configMapConfig() {
    Map<String, String> junctionEnv = new HashMap<>();
    env().forEach((k, v) -> {
      if (k.startsWith("JUNCTION_")) {
        junctionEnv.put(k, v);
      }
    });
    ConfigLoader loader = new ConfigLoader(junctionEnv);
    JsonObject boot = loader.resolve(new JsonObject()); // every JUNCTION_* of the Deployment names a config key
    KubernetesSettings kube = KubernetesSettings.from(boot.getJsonObject("config").getJsonObject("kubernetes"), Map.of());
    JsonObject map = all("ConfigMap").stream().filter(m -> m.getJsonObject("metadata").getString("name").equals(kube.name())).findFirst()
      .orElseThrow(() -> new AssertionError("no ConfigMap named " + kube.name()));
    String text = map.getJsonObject("data").getString(kube.key());
    assertThat(text).as("ConfigMap key " + kube.key()).isNotBlank();
    return loader.resolve(new JsonObject(), List.of(new ConfigLoader.Layer("k8s/configmap.yaml", YamlReader.read(text, "k8s/configmap.yaml"))));
  }

  @Test
  void theDeploymentReadsTheConfigMapAndSecretItShipsAndTheConfigMapIsAcceptedWhole() {
    Map<String, String> env = env();
    assertThat(env.get("KUBERNETES_NAMESPACE")).contains("metadata.namespace");
    assertThat(env.get("POD_IP")).contains("status.podIP");
    JsonObject config = configMapConfig();
    assertThat(config.getJsonObject("config").getJsonObject("kubernetes").getBoolean("enabled")).isTrue();
    JsonArray routes = config.getJsonObject("gateway").getJsonArray("routes");
    assertThat(routes).hasSize(2);
    assertThat(routes.encode()).contains("JwtAuth").contains("lb://");
    assertThat(config.getJsonObject("services").fieldNames()).hasSize(1);
    List<String> problems = GatewayConfigCheck.problems(vertx, new JwksSources(vertx), config.getJsonObject("gateway"), config.getJsonObject("services"));
    assertThat(problems).isEmpty();
    JsonObject secret = yaml(read("secret.example.yaml")).get(0);
    assertThat(secret.getJsonObject("metadata").getString("name")).isEqualTo(env.get("JUNCTION_CONFIG_KUBERNETES_SECRETNAME"));
    JsonObject layer = new JsonObject();
    secret.getJsonObject("stringData").forEach(e -> EnvOverrides.put(layer, e.getKey(), e.getValue()));
    assertThat(ConfigSchema.get().validate(layer)).as("the example Secret's entries are config keys").isEmpty();
  }

  @Test
  void rbacAllowsWhatTheConfigModuleCallsOnTheServiceAccountThePodsRunAs() {
    String account = pod().getJsonObject("spec").getString("serviceAccountName");
    assertThat(one("ServiceAccount").getJsonObject("metadata").getString("name")).isEqualTo(account);
    JsonObject binding = one("RoleBinding");
    JsonObject role = one("Role");
    assertThat(binding.getJsonObject("roleRef").getString("name")).isEqualTo(role.getJsonObject("metadata").getString("name"));
    assertThat(binding.getJsonArray("subjects").getJsonObject(0).getString("name")).isEqualTo(account);
    Map<String, String> env = env();
    assertThat(allowed(role, "", "configmaps", "get", env.get("JUNCTION_CONFIG_KUBERNETES_NAME"))).as("the store's GET").isTrue();
    assertThat(allowed(role, "", "configmaps", "watch", env.get("JUNCTION_CONFIG_KUBERNETES_NAME"))).as("the watch").isTrue();
    assertThat(allowed(role, "", "configmaps", "list", env.get("JUNCTION_CONFIG_KUBERNETES_NAME"))).isTrue();
    assertThat(allowed(role, "discovery.k8s.io", "endpointslices", "watch", "any")).isTrue();
    assertThat(allowed(role, "", "secrets", "get", env.get("JUNCTION_CONFIG_KUBERNETES_SECRETNAME"))).as("the Secret by name").isTrue();
    assertThat(allowed(role, "", "secrets", "get", "someone-elses")).as("no other Secret").isFalse();
    assertThat(allowed(role, "", "secrets", "list", env.get("JUNCTION_CONFIG_KUBERNETES_SECRETNAME"))).isFalse();
    for (String write : List.of("update", "patch", "create", "delete")) {
      assertThat(allowed(role, "", "configmaps", write, env.get("JUNCTION_CONFIG_KUBERNETES_NAME"))).as("no " + write + " without write-back").isFalse();
    }
    assertThat(configMapConfig().getJsonObject("config").getJsonObject("kubernetes").getBoolean("writeBack")).as("write-back off by default").isFalse();
  }

  /**
   * k8s/writeback/ (a kustomize Component, listed but commented out in k8s/kustomization.yaml) turns write-back on:
   * it grants the verb ConfigMapWriter uses on the one ConfigMap the pods read, to their service account, and sets
   * the env variable of config.kubernetes.writeBack on the Deployment's container.
   */
  @Test
  void theWriteBackComponentGrantsExactlyTheWriteItMakesAndTurnsItOn() {
    assertThat(read("kustomization.yaml")).contains("#   - writeback");
    JsonObject component = yaml(read("writeback/kustomization.yaml")).get(0);
    assertThat(component.getString("kind")).isEqualTo("Component");
    assertThat(component.getJsonArray("resources")).containsExactly("rbac.yaml");
    List<JsonObject> rbac = yaml(read("writeback/rbac.yaml"));
    JsonObject role = rbac.stream().filter(d -> d.getString("kind").equals("Role")).findFirst().orElseThrow();
    JsonObject binding = rbac.stream().filter(d -> d.getString("kind").equals("RoleBinding")).findFirst().orElseThrow();
    assertThat(binding.getJsonObject("roleRef").getString("name")).isEqualTo(role.getJsonObject("metadata").getString("name"));
    assertThat(binding.getJsonArray("subjects").getJsonObject(0).getString("name")).isEqualTo(pod().getJsonObject("spec").getString("serviceAccountName"));
    String name = env().get("JUNCTION_CONFIG_KUBERNETES_NAME");
    assertThat(allowed(role, "", "configmaps", ConfigMapWriter.RBAC_VERB, name)).as("the write-back's " + ConfigMapWriter.RBAC_VERB).isTrue();
    assertThat(allowed(role, "", "configmaps", ConfigMapWriter.RBAC_VERB, "someone-elses")).as("only the one ConfigMap").isFalse();
    assertThat(role.getJsonArray("rules")).as("nothing else").hasSize(1);
    assertThat(role.getJsonArray("rules").getJsonObject(0).getJsonArray("verbs")).containsExactly(ConfigMapWriter.RBAC_VERB);

    String patchFile = component.getJsonArray("patches").getJsonObject(0).getString("path");
    JsonObject patch = yaml(read("writeback/" + patchFile)).get(0);
    assertThat(patch.getJsonObject("metadata").getString("name")).isEqualTo(one("Deployment").getJsonObject("metadata").getString("name"));
    JsonObject patched = patch.getJsonObject("spec").getJsonObject("template").getJsonObject("spec").getJsonArray("containers").getJsonObject(0);
    assertThat(patched.getString("name")).isEqualTo(container().getString("name"));
    Map<String, String> junctionEnv = new HashMap<>();
    env().forEach((k, v) -> {
      if (k.startsWith("JUNCTION_")) {
        junctionEnv.put(k, v);
      }
    });
    patched.getJsonArray("env").forEach(e -> junctionEnv.put(((JsonObject) e).getString("name"), ((JsonObject) e).getString("value")));
    JsonObject kube = new ConfigLoader(junctionEnv).resolve(new JsonObject()).getJsonObject("config").getJsonObject("kubernetes");
    KubernetesSettings settings = KubernetesSettings.from(kube, Map.of());
    assertThat(settings.writeBack()).isTrue();
    assertThat(settings.wholeMap()).as("write-back writes one key").isFalse();
    assertThat(settings.name()).isEqualTo(name);
  }

  static boolean allowed(JsonObject role, String group, String resource, String verb, String name) {
    for (Object r : role.getJsonArray("rules")) {
      JsonObject rule = (JsonObject) r;
      JsonArray names = rule.getJsonArray("resourceNames");
      if (rule.getJsonArray("apiGroups").contains(group) && rule.getJsonArray("resources").contains(resource)
        && rule.getJsonArray("verbs").contains(verb) && (names == null || names.contains(name))) {
        return true;
      }
    }
    return false;
  }
}
