package io.junction.config;

import ch.qos.logback.classic.Level;
import io.junction.testkit.ContractClient;
import io.junction.testkit.Eventually;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestKubernetes;
import io.junction.testkit.TestUpstream;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every module acknowledges each configuration version (a ConfigMap in fabric8's mock API server, CRUD mode, read
 * through the real configmap store and watch): a version is applied — status, history, audit, event — only once all
 * did; one module refusing it, or one never answering within {@code config.applyTimeout}, rolls the modules that
 * applied it back to the last good version while traffic goes on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigAcksTest {
  static TestKubernetes k8s;
  static TestUpstream backend;
  static TestUpstream extra;
  static JunctionTestKit kit;
  static ContractClient api;
  static Pool pool;
  static String token;

  /** The stable route and service, plus extra route lines, services and other sections. */
  static String yaml(String routes, String services, String other) {
    return "gateway:\n  routes:\n    - id: stable\n      uri: lb://backend\n      predicates: [\"Path=/stable/**\"]\n" + routes
      + "services:\n  backend:\n    instances: [\"" + backend.url() + "\"]\n" + services + other;
  }

  static String route(String id, String service) {
    return "    - id: " + id + "\n      uri: lb://" + service + "\n      predicates: [\"Path=/" + id + "/**\"]\n";
  }

  static final String EXTRA_ROUTE = route("fresh", "extra");

  static String extraService() {
    return "  extra:\n    instances: [\"" + extra.url() + "\"]\n";
  }

  @BeforeAll
  static void start() throws Exception {
    k8s = TestKubernetes.start();
    backend = new TestUpstream("backend");
    extra = new TestUpstream("extra");
    k8s.putConfigMap("junction-config", Map.of("junction.yaml", yaml("", "", "")));
    JunctionTestKit.Builder builder = JunctionTestKit.builder().env("JUNCTION_CONFIG_APPLYTIMEOUT", "500ms");
    k8s.env("junction-config", null).forEach(builder::env);
    kit = builder.start();
    api = ContractClient.admin(kit);
    pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(kit.databaseUrl())).using(kit.vertx()).build();
    ContractClient platform = ContractClient.platform(kit);
    token = platform.post("/auth/login").json(new JsonObject().put("email", JunctionTestKit.ADMIN_EMAIL)
      .put("password", JunctionTestKit.ADMIN_PASSWORD)).send().json().getString("accessToken");
    platform.close();
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
    backend.close();
    extra.close();
    k8s.close();
  }

  static JsonObject status() {
    ContractClient.Response r = api.get("/api/v1/config/status").bearer(token).send();
    assertThat(r.status()).isEqualTo(200);
    return r.json();
  }

  static JsonObject newestHistory() {
    ContractClient.Response r = api.get("/api/v1/config/history?limit=1").bearer(token).send();
    assertThat(r.status()).isEqualTo(200);
    return r.json().getJsonArray("items").getJsonObject(0);
  }

  static long version() {
    return status().getJsonObject("applied").getLong("version");
  }

  static double series(String exact) {
    for (String line : kit.admin("/metrics").body().split("\n")) {
      if (line.startsWith(exact + " ")) {
        return Double.parseDouble(line.substring(exact.length() + 1).trim());
      }
    }
    return 0;
  }

  static double rebuilds() {
    return series("junction_route_table_rebuild_seconds_count");
  }

  static long count(String sql, Object... params) throws Exception {
    return pool.preparedQuery(sql).execute(Tuple.from(params)).await(5, TimeUnit.SECONDS).iterator().next().getLong(0);
  }

  static JsonArray liveRoutes() throws Exception {
    return ((JsonObject) kit.vertx().eventBus().request("junction.gateway.routes", null).await(5, TimeUnit.SECONDS).body())
      .getJsonArray("routes");
  }

  static JsonObject request(String address, Object body) throws Exception {
    return (JsonObject) kit.vertx().eventBus().request(address, body).await(5, TimeUnit.SECONDS).body();
  }

  /** Requests to /stable while {@code during} runs; the number that did not answer 200. */
  static int failuresWhile(Runnable during) throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger sent = new AtomicInteger();
    Thread load = new Thread(() -> {
      while (running.get() && sent.incrementAndGet() < 5_000) {
        try {
          if (kit.get("/stable/x").statusCode() != 200) {
            failures.incrementAndGet();
          }
        } catch (RuntimeException e) {
          failures.incrementAndGet();
        }
      }
    });
    load.start();
    try {
      during.run();
    } finally {
      running.set(false);
      load.join(10_000);
    }
    assertThat(sent.get()).as("requests sent during the change").isGreaterThan(1);
    return failures.get();
  }

  @Test
  @Order(1)
  void oneEditAddingARouteAndItsNewServiceIsBuiltOnceAndRecordedOnceAllAcknowledged() throws Exception {
    long before = version();
    double rebuildsBefore = rebuilds();
    JsonArray modules = request("junction.config.participants", null).getJsonArray("items");
    assertThat(modules.stream().map(o -> ((JsonObject) o).getString("module")).toList())
      .as("every live consumer takes part").contains("gateway", "identity", "logging");

    k8s.putConfigMap("junction-config", Map.of("junction.yaml", yaml(EXTRA_ROUTE, extraService(), "")));
    Eventually.until("/fresh serves from the new service", Duration.ofSeconds(5), () -> kit.get("/fresh/x").statusCode() == 200);
    assertThat(new JsonObject(kit.get("/fresh/x").body()).getString("upstream")).isEqualTo("extra");
    long applied = before + 1;
    Eventually.until("version " + applied + " applied", Duration.ofSeconds(5), () -> version() == applied);
    Thread.sleep(300); // a second rebuild, if any, would show by now
    assertThat(rebuilds() - rebuildsBefore).as("gateway and services of one version built together, once").isEqualTo(1);
    JsonObject history = newestHistory();
    assertThat(history.getString("outcome")).isEqualTo("applied");
    assertThat(history.getLong("version")).isEqualTo(applied);
    assertThat(history.getJsonArray("changes").encode()).contains("gateway.routes[fresh]").contains("services.extra.instances");

    String audits = "SELECT count(*) FROM audit_log WHERE action = 'config.applied' AND metadata->>'version' = $1";
    Eventually.until("audit config.applied " + applied, Duration.ofSeconds(5), () -> count(audits, String.valueOf(applied)) == 1);
    String events = "SELECT count(*) FROM outbox WHERE envelope->>'type' = 'config.applied' AND envelope->'data'->>'version' = $1";
    Eventually.until("event config.applied " + applied, Duration.ofSeconds(5), () -> count(events, String.valueOf(applied)) == 1);
    Thread.sleep(200);
    assertThat(count(audits, String.valueOf(applied))).as("recorded once").isEqualTo(1);
    assertThat(count(events, String.valueOf(applied))).as("emitted once").isEqualTo(1);
    JsonObject gateway = request("junction.config.participants", null).getJsonArray("items").stream().map(JsonObject.class::cast)
      .filter(p -> p.getString("module").equals("gateway")).findFirst().orElseThrow();
    assertThat(gateway.getLong("version")).isEqualTo(applied);
  }

  @Test
  @Order(2)
  void aModuleThatRefusesTheVersionRollsBackTheModulesThatAppliedItWhileTrafficGoesOn() throws Exception {
    long kept = version();
    double rebuildsBefore = rebuilds();
    long auditsBefore = count("SELECT count(*) FROM audit_log WHERE action = 'config.rolledback'");
    KeyPairs a = KeyPairs.rsa();
    KeyPairs b = KeyPairs.rsa();
    // A usable private key with somebody else's public key: the schema and the gateway accept it, identity cannot.
    String identity = "identity:\n  jwt:\n    privateKey: |\n" + KeyPairs.indent(a.privatePem(), 6)
      + "    publicKey: |\n" + KeyPairs.indent(b.publicPem(), 6);
    int failures = failuresWhile(() -> {
      k8s.putConfigMap("junction-config", Map.of("junction.yaml", yaml(EXTRA_ROUTE + route("wrong", "backend"), extraService(), identity)));
      Eventually.until("rolled back", Duration.ofSeconds(5), () -> status().getValue("lastError") != null
        && "rolledback".equals(status().getJsonObject("lastError").getString("outcome")));
    });
    assertThat(failures).as("requests that failed during apply and rollback").isZero();

    JsonObject error = status().getJsonObject("lastError");
    assertThat(error.getString("module")).isEqualTo("identity");
    assertThat(error.getJsonArray("problems").encode()).contains("identity").contains("do not belong together");
    assertThat(version()).as("the last good version stays").isEqualTo(kept);
    assertThat(rebuilds() - rebuildsBefore).as("the gateway built the new version, then the previous one again").isEqualTo(2);
    assertThat(liveRoutes().getList()).contains("stable", "fresh").doesNotContain("wrong");
    assertThat(kit.get("/wrong/x").statusCode()).isEqualTo(404);
    assertThat(kit.get("/fresh/x").statusCode()).isEqualTo(200);

    JsonObject history = newestHistory();
    assertThat(history.getString("outcome")).isEqualTo("rolledback");
    assertThat(history.getValue("version")).isNull();
    assertThat(history.getString("module")).isEqualTo("identity");
    assertThat(history.getJsonArray("changes").encode()).contains("gateway.routes[wrong]");
    assertThat(series("junction_config_updates_total{outcome=\"rolledback\"}")).isEqualTo(1);
    Eventually.until("audit config.rolledback", Duration.ofSeconds(5),
      () -> count("SELECT count(*) FROM audit_log WHERE action = 'config.rolledback'") == auditsBefore + 1);
    JsonObject audit = new JsonObject(pool.query("SELECT metadata::text FROM audit_log WHERE action = 'config.rolledback' ORDER BY seq DESC LIMIT 1")
      .execute().await(5, TimeUnit.SECONDS).iterator().next().getString(0));
    assertThat(audit.getString("module")).isEqualTo("identity");
    assertThat(audit.getJsonArray("rolledBackIn").getList()).contains("gateway");
    assertThat(audit.getLong("keptVersion")).isEqualTo(kept);
    ContractClient.Response config = api.get("/api/v1/config").bearer(token).send();
    assertThat(config.json().getJsonObject("config").getJsonObject("gateway").getJsonArray("routes").encode()).doesNotContain("wrong");
  }

  @Test
  @Order(3)
  void aParticipantThatNeverAnswersTimesOutAndTheOthersAreRolledBack() throws Exception {
    long kept = version();
    ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    JsonObject logging = request(ConfigVerticle.GET_ADDRESS, null).getJsonObject("logging");
    Level levelBefore = Level.toLevel(logging.getString("level"));
    String newLevel = "WARN".equals(logging.getString("level")) ? "ERROR" : "WARN";
    AtomicInteger heard = new AtomicInteger();
    String address = "junction.config.apply.silent-test";
    MessageConsumer<JsonObject> silent = kit.vertx().eventBus().localConsumer(address, msg -> heard.incrementAndGet());
    silent.completion().await(5, TimeUnit.SECONDS);
    request("junction.config.join", new JsonObject().put("id", "silent-test").put("module", "silent")
      .put("sections", new JsonArray().add("logging")).put("address", address).put("initial", new JsonObject().put("logging", logging)));
    try {
      k8s.putConfigMap("junction-config", Map.of("junction.yaml",
        yaml(EXTRA_ROUTE + route("late", "backend"), extraService(), "logging:\n  level: " + newLevel + "\n")));
      Eventually.until("timed out and rolled back", Duration.ofSeconds(5), () -> status().getValue("lastError") != null
        && "silent".equals(status().getJsonObject("lastError").getString("module")));
      JsonObject error = status().getJsonObject("lastError");
      assertThat(error.getString("outcome")).isEqualTo("rolledback");
      assertThat(error.getJsonArray("problems").encode()).contains("did not answer within 500 ms");
      assertThat(version()).isEqualTo(kept);
      assertThat(liveRoutes().getList()).doesNotContain("late");
      assertThat(kit.get("/late/x").statusCode()).isEqualTo(404);
      assertThat(root.getLevel()).as("the logging level applied, then restored").isEqualTo(levelBefore);
      assertThat(heard.get()).as("the new version, then the previous one").isGreaterThanOrEqualTo(2);
      assertThat(series("junction_config_updates_total{outcome=\"rolledback\"}")).isEqualTo(2);
    } finally {
      request("junction.config.leave", new JsonObject().put("id", "silent-test"));
      silent.unregister().await(5, TimeUnit.SECONDS);
    }
    // Without it, the same kind of edit goes through.
    k8s.putConfigMap("junction-config", Map.of("junction.yaml", yaml(EXTRA_ROUTE + route("late", "backend"), extraService(), "")));
    Eventually.until("/late serves", Duration.ofSeconds(5), () -> kit.get("/late/x").statusCode() == 200);
    Eventually.until("applied", Duration.ofSeconds(5), () -> version() == kept + 1);
  }

  @Test
  @Order(4)
  void aCandidateDocumentIsValidatedWithoutBeingApplied() throws Exception {
    long kept = version();
    assertThat(request(ConfigVerticle.VALIDATE_ADDRESS, new JsonObject().put("document", yaml(route("other", "backend"), "", "")))
      .getJsonArray("problems")).isEmpty();
    assertThat(request(ConfigVerticle.VALIDATE_ADDRESS, new JsonObject().put("document",
      yaml("    - id: bad\n      uri: lb://backend\n      predicates: [\"Path=/bad/**\"]\n      filters: [\"NoSuchFilter=1\"]\n", "", "")))
      .getJsonArray("problems").encode()).contains("NoSuchFilter");
    assertThat(request(ConfigVerticle.VALIDATE_ADDRESS, new JsonObject().put("document", yaml(route("lost", "nowhere"), "", "")))
      .getJsonArray("problems").encode()).contains("nowhere");
    assertThat(request(ConfigVerticle.VALIDATE_ADDRESS, new JsonObject().put("document", "gateway: [\n"))
      .getJsonArray("problems").encode()).contains("not valid YAML");
    assertThat(request(ConfigVerticle.VALIDATE_ADDRESS, new JsonObject().put("document", "")).getJsonArray("problems").encode())
      .contains("empty");
    assertThat(request(ConfigVerticle.VALIDATE_ADDRESS, new JsonObject().put("document",
      new JsonObject().put("logging", new JsonObject().put("level", "LOUD")))).getJsonArray("problems").encode()).contains("logging.level");
    for (String odd : List.of("42\n", "- a\n- b\n", "gateway: 5\n", "services:\n  backend: [1, 2]\n")) {
      assertThat(request(ConfigVerticle.VALIDATE_ADDRESS, new JsonObject().put("document", odd)).getJsonArray("problems"))
        .as(odd).isNotEmpty();
    }
    Throwable missing = catchThrowable(() -> request(ConfigVerticle.VALIDATE_ADDRESS, new JsonObject()));
    assertThat(missing).isInstanceOf(ReplyException.class).hasMessageContaining("document");
    assertThat(((ReplyException) missing).failureCode()).isEqualTo(400);
    Thread.sleep(200);
    assertThat(version()).as("nothing applied").isEqualTo(kept);
    assertThat(liveRoutes().getList()).doesNotContain("other");
  }

  @Test
  @Order(5)
  void theGatewayRefusingAnEditThatStrandsAStoredRouteIsRejectedAndNothingChanges() throws Exception {
    // A route stored through the admin API uses the config's service `extra`; an edit removing `extra` is valid on its
    // own (the config module checks the config), but the gateway, merging the stored routes, cannot build it.
    ContractClient.Response stored = api.post("/api/v1/routes").bearer(token).json(new JsonObject().put("id", "kept")
      .put("uri", "lb://extra").put("predicates", new JsonArray().add("Path=/kept/**"))).send();
    assertThat(stored.status()).isEqualTo(201);
    Eventually.until("/kept serves", Duration.ofSeconds(5), () -> kit.get("/kept/x").statusCode() == 200);
    long kept = version();
    double rejectedBefore = series("junction_config_updates_total{outcome=\"rejected\"}");
    k8s.putConfigMap("junction-config", Map.of("junction.yaml", yaml(route("late", "backend") + route("other", "backend"), "", "")));
    Eventually.until("refused by the gateway", Duration.ofSeconds(5), () -> status().getValue("lastError") != null
      && "gateway".equals(status().getJsonObject("lastError").getString("module")));
    JsonObject error = status().getJsonObject("lastError");
    assertThat(error.getString("outcome")).as("no other module had applied it").isEqualTo("rejected");
    assertThat(error.getJsonArray("problems").encode()).contains("extra");
    assertThat(version()).isEqualTo(kept);
    assertThat(series("junction_config_updates_total{outcome=\"rejected\"}")).isEqualTo(rejectedBefore + 1);
    assertThat(liveRoutes().getList()).contains("kept", "fresh").doesNotContain("other");
    assertThat(kit.get("/kept/x").statusCode()).isEqualTo(200);
    assertThat(newestHistory().getString("outcome")).isEqualTo("rejected");
    Eventually.until("audit config.rejected by the gateway", Duration.ofSeconds(5), () -> count(
      "SELECT count(*) FROM audit_log WHERE action = 'config.rejected' AND metadata->>'module' = 'gateway'") == 1);
  }

  @Test
  @Order(6)
  void aMalformedJoinIsRefused() {
    for (JsonObject join : List.of(new JsonObject(), new JsonObject().put("id", "x").put("address", "a").put("sections", new JsonArray()),
      new JsonObject().put("id", "x").put("address", "a").put("sections", new JsonArray().add(1)))) {
      Throwable refused = catchThrowable(() -> request("junction.config.join", join));
      assertThat(refused).as(join.encode()).isInstanceOf(ReplyException.class).hasMessageContaining("section names");
    }
  }
}
