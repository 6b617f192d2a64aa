package io.junction.config;

import io.fabric8.kubernetes.api.model.ConfigMap;
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
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code PUT /api/v1/config} with {@code config.kubernetes.writeBack}, against fabric8's Kubernetes mock (CRUD mode)
 * and the real ConfigMap store and watch: a write with the right If-Match lands in the ConfigMap and comes back
 * through the watch as a route serving traffic; a stale or missing If-Match, a document the config module refuses,
 * a caller without the permission and a failing API server all leave the ConfigMap as it was, each with its problem.
 */
class ConfigWriteBackTest {
  static final String MAP = "junction-config";
  static TestKubernetes k8s;
  static TestUpstream upstream;
  static JunctionTestKit kit;
  static ContractClient api;
  static Pool pool;
  static String token;

  static String routes(String... ids) {
    StringBuilder sb = new StringBuilder("gateway:\n  routes:\n");
    for (String id : ids) {
      sb.append("    - id: ").append(id).append("\n      uri: lb://backend\n      predicates: [\"Path=/").append(id).append("/**\"]\n");
    }
    return sb.append("services:\n  backend:\n    instances: [\"").append(upstream.url()).append("\"]\n").toString();
  }

  @BeforeAll
  static void start() throws Exception {
    k8s = TestKubernetes.start();
    upstream = new TestUpstream("backend");
    k8s.putConfigMap(MAP, Map.of("junction.yaml", routes("stable"), "notes.txt", "not Junction's"));
    JunctionTestKit.Builder builder = JunctionTestKit.builder().env("JUNCTION_CONFIG_KUBERNETES_WRITEBACK", "true");
    k8s.env(MAP, null).forEach(builder::env);
    kit = builder.start();
    api = ContractClient.admin(kit);
    pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(kit.databaseUrl())).using(kit.vertx()).build();
    token = login(JunctionTestKit.ADMIN_EMAIL, JunctionTestKit.ADMIN_PASSWORD);
    Eventually.until("the watch is up", Duration.ofSeconds(5),
      () -> api.get("/api/v1/config/status").bearer(token).send().json().getJsonObject("kubernetes").getBoolean("watching"));
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

  @AfterEach
  void serveAgain() {
    k8s.failWith(0);
  }

  static String login(String email, String password) {
    try (ContractClient platform = ContractClient.platform(kit)) {
      ContractClient.Response r = platform.post("/auth/login").json(new JsonObject().put("email", email).put("password", password)).send();
      assertThat(r.status()).as("login " + email).isEqualTo(200);
      return r.json().getString("accessToken");
    }
  }

  static ConfigMap map() {
    return k8s.client().configMaps().inNamespace(TestKubernetes.NAMESPACE).withName(MAP).get();
  }

  /** The ETag of GET /api/v1/config once it names the map's current resourceVersion (the watch has seen it). */
  static String etag() {
    String current = map().getMetadata().getResourceVersion();
    Eventually.until("the ETag is the map's resourceVersion " + current, Duration.ofSeconds(5),
      () -> ("\"" + current + "\"").equals(api.get("/api/v1/config").bearer(token).send().header("ETag")));
    return "\"" + current + "\"";
  }

  static ContractClient.Response put(String etag, String contentType, String body) {
    ContractClient.Request request = api.put("/api/v1/config").bearer(token).body(contentType, body);
    if (etag != null) {
      request.header("If-Match", etag);
    }
    return request.send();
  }

  static Row lastAudit(String action) throws Exception {
    var rows = pool.preparedQuery("SELECT actor, outcome, metadata, target FROM audit_log WHERE action = $1 ORDER BY seq DESC LIMIT 1")
      .execute(Tuple.of(action)).await(5, TimeUnit.SECONDS);
    return rows.size() == 0 ? null : rows.iterator().next();
  }

  static long auditCount(String action) throws Exception {
    return pool.preparedQuery("SELECT count(*) FROM audit_log WHERE action = $1").execute(Tuple.of(action))
      .await(5, TimeUnit.SECONDS).iterator().next().getLong(0);
  }

  static String adminId() throws Exception {
    return pool.preparedQuery("SELECT id::text FROM users WHERE email = $1").execute(Tuple.of(JunctionTestKit.ADMIN_EMAIL))
      .await(5, TimeUnit.SECONDS).iterator().next().getString(0);
  }

  @Test
  void aWriteWithTheRightIfMatchLandsInTheMapAndServesThroughTheWatch() throws Exception {
    String before = etag();
    long audits = auditCount("config.write");
    String document = routes("stable", "written");
    ContractClient.Response r = put(before, "application/yaml", document);
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    String after = r.json().getString("resourceVersion");
    assertThat(r.header("ETag")).isEqualTo("\"" + after + "\"");
    assertThat(r.json().getString("previousResourceVersion")).isEqualTo(before.replace("\"", ""));
    assertThat(r.json().getString("configMap")).isEqualTo(TestKubernetes.NAMESPACE + "/" + MAP);
    ConfigMap map = map();
    assertThat(map.getMetadata().getResourceVersion()).isEqualTo(after);
    assertThat(map.getData().get("junction.yaml")).isEqualTo(document);
    assertThat(map.getData().get("notes.txt")).as("the map's other keys stay").isEqualTo("not Junction's");
    Eventually.until("/written serves through the gateway", Duration.ofSeconds(2), () -> kit.get("/written/x").statusCode() == 200);
    JsonObject status = api.get("/api/v1/config/status").bearer(token).send().json();
    assertThat(status.getJsonObject("applied").getString("resourceVersion")).as("applied through the watch").isEqualTo(after);
    assertThat(status.getJsonObject("applied").getString("source")).contains("watch");

    Eventually.until("audited", Duration.ofSeconds(5), () -> auditCount("config.write") == audits + 1);
    Row audit = lastAudit("config.write");
    assertThat(audit.getString("actor")).isEqualTo(adminId());
    assertThat(audit.getString("outcome")).isEqualTo("success");
    assertThat(audit.getString("target")).contains(MAP);
    JsonObject metadata = (JsonObject) audit.getValue("metadata");
    assertThat(metadata.getString("resourceVersionBefore")).isEqualTo(before.replace("\"", ""));
    assertThat(metadata.getString("resourceVersionAfter")).isEqualTo(after);
  }

  @Test
  void aJsonObjectIsStoredAsYamlAndTextPlainIsTakenAsYaml() throws Exception {
    JsonObject json = new JsonObject().put("gateway", new JsonObject().put("routes", new JsonArray()
        .add(new JsonObject().put("id", "stable").put("uri", "lb://backend").put("predicates", new JsonArray().add("Path=/stable/**")))
        .add(new JsonObject().put("id", "asjson").put("uri", "lb://backend").put("predicates", new JsonArray().add("Path=/asjson/**")))))
      .put("services", new JsonObject().put("backend", new JsonObject().put("instances", new JsonArray().add(upstream.url()))));
    ContractClient.Response r = api.put("/api/v1/config").bearer(token).header("If-Match", etag()).json(json).send();
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    String stored = map().getData().get("junction.yaml");
    assertThat(YamlReader.read(stored, "stored")).isEqualTo(json);
    assertThat(stored).as("block YAML, not JSON").doesNotContain("{").contains("asjson");
    Eventually.until("/asjson serves", Duration.ofSeconds(2), () -> kit.get("/asjson/x").statusCode() == 200);

    r = put(etag(), "text/plain; charset=utf-8", routes("stable", "astext"));
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    Eventually.until("/astext serves", Duration.ofSeconds(2), () -> kit.get("/astext/x").statusCode() == 200);
    assertThat(put(etag(), "text/csv", routes("stable")).status()).isEqualTo(415);
  }

  @Test
  void aStaleIfMatchIs412AndTheMapKeepsTheOtherWritersEdit() throws Exception {
    String read = etag();
    String theirs = routes("stable", "theirs");
    k8s.putConfigMap(MAP, Map.of("junction.yaml", theirs, "notes.txt", "not Junction's")); // someone else, meanwhile
    String version = map().getMetadata().getResourceVersion();
    long audits = auditCount("config.write");
    ContractClient.Response r = put(read, "text/yaml", routes("stable", "mine"));
    assertThat(r.status()).as(r.text()).isEqualTo(412);
    assertThat(r.error()).isEqualTo("precondition_failed");
    assertThat(r.json().getString("message")).contains(read.replace("\"", "")).contains("read GET /api/v1/config again");
    assertThat(map().getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(map().getData().get("junction.yaml")).isEqualTo(theirs);
    Eventually.until("/theirs serves", Duration.ofSeconds(2), () -> kit.get("/theirs/x").statusCode() == 200);
    assertThat(kit.get("/mine/x").statusCode()).isEqualTo(404);
    Eventually.until("the refusal is audited", Duration.ofSeconds(5), () -> auditCount("config.write") == audits + 1);
    Row audit = lastAudit("config.write");
    assertThat(audit.getString("outcome")).isEqualTo("failure");
    assertThat(((JsonObject) audit.getValue("metadata")).getInteger("status")).isEqualTo(412);
    assertThat(((JsonObject) audit.getValue("metadata")).getValue("resourceVersionAfter")).isNull();
  }

  @Test
  void withoutIfMatchIs428AndAMalformedOneIs400() {
    String version = map().getMetadata().getResourceVersion();
    ContractClient.Response missing = put(null, "application/yaml", routes("stable", "unlocked"));
    assertThat(missing.status()).isEqualTo(428);
    assertThat(missing.error()).isEqualTo("precondition_required");
    ContractClient.Response star = put("*", "application/yaml", routes("stable", "unlocked"));
    assertThat(star.status()).isEqualTo(400);
    assertThat(star.json().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("If-Match");
    assertThat(map().getMetadata().getResourceVersion()).isEqualTo(version);
  }

  @Test
  void documentsTheConfigModuleRefusesAre400NamingTheProblemAndNothingIsWritten() throws Exception {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("gateway:\n  routes: [\n", "not valid YAML");
    bad.put(routes("stable").replace("predicates: [\"Path=/stable/**\"]", "predicates: [\"Path=/stable/**\"]\n      filters: [\"NoSuchFilter=1\"]"), "NoSuchFilter");
    bad.put(routes("stable").replace("lb://backend", "lb://nowhere"), "nowhere");
    bad.put("# nothing but a comment\n", "empty");
    bad.put("http:\n  public:\n    port: many\n" + routes("stable"), "http.public.port");
    String etag = etag();
    String version = etag.replace("\"", "");
    String stored = map().getData().get("junction.yaml");
    for (Map.Entry<String, String> e : bad.entrySet()) {
      ContractClient.Response r = put(etag, "application/yaml", e.getKey());
      assertThat(r.status()).as(e.getValue() + ": " + r.text()).isEqualTo(400);
      assertThat(r.error()).isEqualTo("invalid_request");
      assertThat(r.json().getString("message")).as(e.getValue()).contains("nothing was written").contains(e.getValue());
      assertThat(r.json().getJsonArray("details")).as(e.getValue()).isNotEmpty();
      assertThat(map().getMetadata().getResourceVersion()).as("nothing written for " + e.getValue()).isEqualTo(version);
      assertThat(map().getData().get("junction.yaml")).isEqualTo(stored);
    }
    ContractClient.Response port = put(etag, "application/yaml", "http:\n  public:\n    port: many\n" + routes("stable"));
    assertThat(port.json().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("http.public.port");
    Row audit = lastAudit("config.write");
    assertThat(((JsonObject) audit.getValue("metadata")).getJsonArray("problems").encode()).contains("http.public.port");
    ContractClient.Response huge = put(etag, "application/yaml", routes("stable") + "# " + "x".repeat(ConfigMapWriter.MAX_DOCUMENT_BYTES) + "\n");
    assertThat(huge.status()).as("more than a ConfigMap holds").isEqualTo(413);
    assertThat(map().getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(kit.get("/stable/x").statusCode()).isEqualTo(200);
  }

  @Test
  void aCallerWithoutTheWritePermissionIs403() {
    ContractClient.Response created = api.post("/api/v1/users").bearer(token).json(new JsonObject()
      .put("email", "viewer@junction.test").put("password", "viewer-password-1").put("roles", new JsonArray().add("viewer"))).send();
    assertThat(created.status()).isEqualTo(201);
    String viewer = login("viewer@junction.test", "viewer-password-1");
    String version = map().getMetadata().getResourceVersion();
    assertThat(api.get("/api/v1/config").bearer(viewer).send().status()).as("a viewer reads").isEqualTo(200);
    ContractClient.Response r = api.put("/api/v1/config").bearer(viewer).header("If-Match", "\"" + version + "\"")
      .body("application/yaml", routes("stable", "viewers")).send();
    assertThat(r.status()).isEqualTo(403);
    assertThat(api.put("/api/v1/config").header("If-Match", "\"" + version + "\"").body("application/yaml", routes("stable")).send().status())
      .isEqualTo(401);
    assertThat(map().getMetadata().getResourceVersion()).isEqualTo(version);
  }

  @Test
  void anApiServerAnswering500Is503AndOneRefusingIs502AndOneGoneIs503() throws Exception {
    String etag = etag();
    String version = etag.replace("\"", "");
    k8s.failWith(500);
    ContractClient.Response failing = put(etag, "application/yaml", routes("stable", "during500"));
    assertThat(failing.status()).as(failing.text()).isEqualTo(503);
    assertThat(failing.error()).isEqualTo("unavailable");
    assertThat(failing.json().getString("message")).contains("500").contains("not updated");
    k8s.failWith(403);
    ContractClient.Response refused = put(etag, "application/yaml", routes("stable", "during403"));
    assertThat(refused.status()).as(refused.text()).isEqualTo(502);
    assertThat(refused.error()).isEqualTo("bad_gateway");
    assertThat(refused.json().getString("message")).contains("403").contains("k8s/writeback");
    k8s.failWith(401);
    ContractClient.Response unauthorized = put(etag, "application/yaml", routes("stable", "during401"));
    assertThat(unauthorized.status()).as(unauthorized.text()).isEqualTo(502);
    assertThat(unauthorized.json().getString("message")).contains("401").contains("service-account token");
    k8s.failWith(0);
    assertThat(map().getMetadata().getResourceVersion()).isEqualTo(version);
    k8s.goAway();
    try {
      ContractClient.Response gone = put(etag, "application/yaml", routes("stable", "whileGone"));
      assertThat(gone.status()).as(gone.text()).isEqualTo(503);
      assertThat(gone.json().getString("message")).contains("cannot be reached");
    } finally {
      k8s.comeBack();
    }
    assertThat(map().getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(kit.get("/stable/x").statusCode()).isEqualTo(200);
  }

  @Test
  void aRotatedTokenIsReadAgainAndTheWriteGoesThrough() throws Exception {
    String etag = etag();
    k8s.rotateToken();
    ContractClient.Response r = put(etag, "application/yaml", routes("stable", "rotated"));
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    Eventually.until("/rotated serves", Duration.ofSeconds(5), () -> kit.get("/rotated/x").statusCode() == 200);
  }
}
