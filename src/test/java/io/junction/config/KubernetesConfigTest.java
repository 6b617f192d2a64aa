package io.junction.config;

import io.junction.testkit.ContractClient;
import io.junction.testkit.Eventually;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestKubernetes;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole Junction configured from a ConfigMap and a Secret in a Kubernetes API server (fabric8's mock, CRUD mode)
 * through the real vertx-config ConfigMap store and the watch: credentials from the Secret are used, an edit
 * serves a new route within a second, and every kind of bad edit is refused while traffic goes on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesConfigTest {
  static final String SECRET_PASSWORD = "from-the-secret-0123";
  static TestKubernetes k8s;
  static TestUpstream upstream;
  static JunctionTestKit kit;
  static ContractClient api;
  static Pool pool;
  static String token;

  static String routes(String... extra) {
    StringBuilder sb = new StringBuilder("gateway:\n  routes:\n"
      + "    - id: stable\n      uri: lb://backend\n      predicates: [\"Path=/stable/**\"]\n");
    for (String r : extra) {
      sb.append(r);
    }
    return sb.append("services:\n  backend:\n    instances: [\"").append(upstream.url()).append("\"]\n").toString();
  }

  static String route(String id, String filter) {
    return "    - id: " + id + "\n      uri: lb://backend\n      predicates: [\"Path=/" + id + "/**\"]\n"
      + (filter == null ? "" : "      filters: [\"" + filter + "\"]\n");
  }

  @BeforeAll
  static void start() throws Exception {
    k8s = TestKubernetes.start();
    upstream = new TestUpstream("backend");
    k8s.putConfigMap("junction-config", Map.of("junction.yaml", routes()));
    k8s.putSecret("junction-secrets", Map.of("identity.bootstrapAdmin.password", SECRET_PASSWORD));
    JunctionTestKit.Builder builder = JunctionTestKit.builder();
    k8s.env("junction-config", "junction-secrets").forEach(builder::env);
    kit = builder.start();
    api = ContractClient.admin(kit);
    pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(kit.databaseUrl())).using(kit.vertx()).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (pool != null) {
      pool.close();
    }
    if (api != null) {
      api.close();
    }
    if (kit != null) {
      kit.close();
    }
    upstream.close();
    k8s.close();
  }

  static String login(String password) {
    ContractClient platform = ContractClient.platform(kit);
    try {
      ContractClient.Response r = platform.post("/auth/login")
        .json(new JsonObject().put("email", JunctionTestKit.ADMIN_EMAIL).put("password", password)).send();
      return r.status() == 200 ? r.json().getString("accessToken") : null;
    } finally {
      platform.close();
    }
  }

  static JsonObject status() {
    ContractClient.Response r = api.get("/api/v1/config/status").bearer(token).send();
    assertThat(r.status()).isEqualTo(200);
    return r.json();
  }

  static long auditCount(String action) throws Exception {
    return pool.preparedQuery("SELECT count(*) FROM audit_log WHERE action = $1").execute(Tuple.of(action))
      .await(5, TimeUnit.SECONDS).iterator().next().getLong(0);
  }

  /** The value of one exact series line of /metrics (name and labels as printed), or -1. */
  static double series(String exact) {
    for (String line : kit.admin("/metrics").body().split("\n")) {
      if (line.startsWith(exact + " ")) {
        return Double.parseDouble(line.substring(exact.length() + 1).trim());
      }
    }
    return -1;
  }

  static double metric(String name) {
    String text = kit.admin("/metrics").body();
    Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(2)) : -1;
  }

  @Test
  @Order(1)
  void theSecretsPasswordIsTheBootstrapAdminsAndTheConfigMapsRoutesServe() {
    token = login(SECRET_PASSWORD);
    assertThat(token).as("login with the password from the Secret").isNotNull();
    assertThat(login(JunctionTestKit.ADMIN_PASSWORD)).as("the environment's password was overridden").isNull();
    assertThat(kit.get("/stable/x").statusCode()).isEqualTo(200);
    JsonObject s = status();
    assertThat(s.getJsonObject("kubernetes").getBoolean("enabled")).isTrue();
    assertThat(s.getJsonObject("applied").getString("source")).contains("configmap/junction/junction-config").contains("secret/junction/junction-secrets");
    Eventually.until("the watch is up", Duration.ofSeconds(5), () -> status().getJsonObject("kubernetes").getBoolean("watching"));
  }

  @Test
  @Order(2)
  void anEditServesANewRouteWithinOneSecond() {
    String rv = k8s.putConfigMap("junction-config", Map.of("junction.yaml", routes(route("fresh", null))));
    long t0 = System.nanoTime();
    Eventually.until("/fresh serves", Duration.ofSeconds(1), () -> kit.get("/fresh/x").statusCode() == 200);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(ms).isLessThan(1_000);
    JsonObject applied = status().getJsonObject("applied");
    assertThat(applied.getString("resourceVersion")).isEqualTo(rv);
    assertThat(applied.getLong("version")).isGreaterThanOrEqualTo(2L);

    ContractClient.Response history = api.get("/api/v1/config/history?limit=5").bearer(token).send();
    assertThat(history.status()).isEqualTo(200);
    JsonObject newest = history.json().getJsonArray("items").getJsonObject(0);
    assertThat(newest.getString("outcome")).isEqualTo("applied");
    assertThat(newest.getJsonArray("changes").encode()).contains("gateway.routes[fresh]").contains("added");
  }

  @Test
  @Order(3)
  void badEditsAreRefusedTheLastGoodConfigKeepsServingAndEachIsReported() throws Exception {
    Map<String, String> bad = new java.util.LinkedHashMap<>();
    bad.put("gateway:\n  routes: [\n", "not valid YAML");
    bad.put(routes(route("filtered", "NoSuchFilter=1")), "NoSuchFilter");
    bad.put(routes() .replace("lb://backend\n      predicates: [\"Path=/stable/**\"]", "lb://nowhere\n      predicates: [\"Path=/stable/**\"]"), "nowhere");
    bad.put("", "empty");
    bad.put("http:\n  public:\n    port: many\n", "http.public.port");
    int n = 0;
    for (Map.Entry<String, String> e : bad.entrySet()) {
      n++;
      long rejectedBefore = status().getLong("rejectedTotal");
      long auditBefore = auditCount("config.rejected");
      k8s.putConfigMap("junction-config", Map.of("junction.yaml", e.getKey()));
      Eventually.until("edit " + n + " refused", Duration.ofSeconds(5), () -> status().getLong("rejectedTotal") == rejectedBefore + 1);
      JsonObject error = status().getJsonObject("lastError");
      assertThat(error.getJsonArray("problems").encode()).as("edit " + n).contains(e.getValue());
      assertThat(kit.get("/stable/x").statusCode()).as("traffic after edit " + n).isEqualTo(200);
      assertThat(kit.get("/fresh/x").statusCode()).as("the last good routes after edit " + n).isEqualTo(200);
      Eventually.until("audit config.rejected " + n, Duration.ofSeconds(5), () -> auditCount("config.rejected") == auditBefore + 1);
    }
    assertThat(metric("junction_config_rejected_total")).isGreaterThanOrEqualTo(bad.size());
    assertThat(series("junction_config_updates_total{outcome=\"rejected\"}")).isGreaterThanOrEqualTo(bad.size());
    assertThat(series("junction_config_updates_total{outcome=\"applied\"}")).as("the edit before the bad ones").isGreaterThanOrEqualTo(1);
    assertThat(series("junction_config_propagation_seconds_count")).isGreaterThanOrEqualTo(1);
    ContractClient.Response config = api.get("/api/v1/config").bearer(token).send();
    assertThat(config.status()).isEqualTo(200);
    assertThat(config.json().getJsonObject("config").getJsonObject("gateway").getJsonArray("routes").encode()).contains("fresh");
  }

  @Test
  @Order(4)
  void theAppliedConfigIsShownWithCredentialsRedacted() {
    ContractClient.Response r = api.get("/api/v1/config").bearer(token).send();
    assertThat(r.status()).isEqualTo(200);
    JsonObject config = r.json().getJsonObject("config");
    assertThat(config.getJsonObject("identity").getJsonObject("bootstrapAdmin").getString("password")).isEqualTo("***");
    assertThat(r.text()).doesNotContain(SECRET_PASSWORD);
    ContractClient.Response history = api.get("/api/v1/config/history").bearer(token).send();
    assertThat(history.text()).doesNotContain(SECRET_PASSWORD);
    assertThat(api.get("/api/v1/config").send().status()).isEqualTo(401);
  }

  @Test
  @Order(5)
  void aListenPortChangeIsReportedAsNeedingARestart() {
    String yaml = "http:\n  admin:\n    port: 1\n" + routes(route("fresh", null));
    k8s.putConfigMap("junction-config", Map.of("junction.yaml", yaml));
    Eventually.until("needs restart reported", Duration.ofSeconds(5),
      () -> status().getJsonArray("needsRestart").contains("http.admin.port"));
    assertThat(kit.admin("/health/ready").statusCode()).as("the admin listener did not move").isEqualTo(200);
    k8s.putConfigMap("junction-config", Map.of("junction.yaml", routes(route("fresh", null))));
    Eventually.until("restart no longer needed", Duration.ofSeconds(5), () -> status().getJsonArray("needsRestart").isEmpty());
  }

  @Test
  @Order(6)
  void aDeletedConfigMapKeepsTheLastGoodConfigAndIsReportedUntilItComesBack() throws Exception {
    long rejectedBefore = status().getLong("rejectedTotal");
    k8s.deleteConfigMap("junction-config");
    Eventually.until("deletion reported", Duration.ofSeconds(5), () -> status().getLong("rejectedTotal") == rejectedBefore + 1);
    assertThat(status().getJsonObject("lastError").getJsonArray("problems").encode()).contains("deleted");
    Thread.sleep(300); // several scans against a missing map
    assertThat(kit.get("/fresh/x").statusCode()).isEqualTo(200);
    assertThat(status().getLong("rejectedTotal")).as("reported once, not every scan").isEqualTo(rejectedBefore + 1);
    k8s.putConfigMap("junction-config", Map.of("junction.yaml", routes(route("back", null))));
    Eventually.until("/back serves", Duration.ofSeconds(2), () -> kit.get("/back/x").statusCode() == 200);
    JsonArray items = api.get("/api/v1/config/history").bearer(token).send().json().getJsonArray("items");
    assertThat(items.getJsonObject(0).getString("outcome")).isEqualTo("applied");
  }
}
