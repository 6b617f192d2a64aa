package io.junction.routes;

import io.junction.testkit.ContractClient;
import io.junction.testkit.Eventually;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestPostgres;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routes through the admin API against a real Postgres and a real upstream: CRUD with ETag/If-Match, the
 * gateway's validator on bad input, config routes read-only, propagation to the proxy, concurrent writers.
 */
class RoutesApiTest {
  static TestUpstream alpha;
  static TestUpstream beta;
  static JunctionTestKit kit;
  static RoutesClient client;

  @BeforeAll
  static void start() throws Exception {
    alpha = new TestUpstream("alpha");
    beta = new TestUpstream("beta");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: from-config
            uri: %s
            predicates: [ "Path=/config/**" ]
      """.formatted(alpha.url())).start();
    client = new RoutesClient(kit);
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    alpha.close();
    beta.close();
  }

  static JsonObject route(String id, String uri, String path) {
    return new JsonObject().put("id", id).put("uri", uri).put("predicates", new JsonArray().add("Path=" + path));
  }

  static String query(String sql) throws Exception {
    return queryOn(kit, sql);
  }

  static String queryOn(JunctionTestKit on, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(TestPostgres.jdbcUrl(on.databaseUrl())); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void createReadReplacePatchDeleteWithEtagsRevisionsAndEvents() throws Exception {
    ContractClient.Response created = client.call("POST", "/api/v1/routes", route("crud", alpha.url(), "/crud/**").put("filters", new JsonArray().add("StripPrefix=1")));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("ETag")).isEqualTo("\"1\"");
    assertThat(created.header("Location")).isEqualTo("/api/v1/routes/crud");
    assertThat(created.json().getString("source")).isEqualTo("api");
    // stored in the expanded form the gateway reads
    assertThat(created.json().getJsonObject("definition").getJsonArray("predicates").getJsonObject(0).getString("name")).isEqualTo("Path");

    ContractClient.Response read = client.call("GET", "/api/v1/routes/crud", null);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.header("ETag")).isEqualTo("\"1\"");

    JsonObject replacement = new JsonObject().put("uri", beta.url()).put("predicates", new JsonArray().add("Path=/crud/**"));
    ContractClient.Response missing = client.call("PUT", "/api/v1/routes/crud", replacement);
    assertThat(missing.status()).isEqualTo(428);
    assertThat(missing.error()).isEqualTo("precondition_required");
    ContractClient.Response stale = client.call("PUT", "/api/v1/routes/crud", replacement, "\"7\"");
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.error()).isEqualTo("precondition_failed");

    ContractClient.Response replaced = client.call("PUT", "/api/v1/routes/crud", replacement, "\"1\"");
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.header("ETag")).isEqualTo("\"2\"");
    assertThat(replaced.json().getJsonObject("definition").getString("uri")).isEqualTo(beta.url());

    ContractClient.Response patched = client.call("PATCH", "/api/v1/routes/crud", new JsonObject().put("order", 5)
      .put("metadata", new JsonObject().put("response-timeout", 2000)), "\"2\"");
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.header("ETag")).isEqualTo("\"3\"");
    assertThat(patched.json().getJsonObject("definition").getInteger("order")).isEqualTo(5);
    assertThat(patched.json().getJsonObject("definition").getString("uri")).isEqualTo(beta.url());

    assertThat(client.call("DELETE", "/api/v1/routes/crud", null).status()).isEqualTo(428);
    assertThat(client.call("DELETE", "/api/v1/routes/crud", null, "\"2\"").status()).isEqualTo(412);
    assertThat(client.call("DELETE", "/api/v1/routes/crud", null, "\"3\"").status()).isEqualTo(204);
    assertThat(client.call("GET", "/api/v1/routes/crud", null).status()).isEqualTo(404);

    JsonArray history = client.call("GET", "/api/v1/routes/crud/revisions", null).json().getJsonArray("items");
    assertThat(history.stream().map(r -> ((JsonObject) r).getString("operation")).toList()).containsExactly("delete", "update", "update", "create");
    assertThat(history.getJsonObject(0).getValue("definition")).isNull();
    // one event per change, written with it
    assertThat(query("SELECT string_agg(envelope->>'type', ',' ORDER BY created_at) FROM outbox WHERE key = 'crud'"))
      .isEqualTo("route.created,route.updated,route.updated,route.deleted");
    assertThat(query("SELECT count(*) FROM route_revisions WHERE route_id = 'crud'")).isEqualTo("4");
  }

  @Test
  void aRouteCreatedThroughTheApiServesTrafficWithin200Ms() {
    assertThat(kit.get("/fresh/x").statusCode()).isEqualTo(404);
    client.create(route("fresh", alpha.url(), "/fresh/**"));
    long committed = System.nanoTime();
    HttpResponse<String> served;
    do {
      served = kit.get("/fresh/x");
    } while (served.statusCode() != 200 && System.nanoTime() - committed < 2_000_000_000L);
    long ms = (System.nanoTime() - committed) / 1_000_000;
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(served.body()).getString("upstream")).isEqualTo("alpha");
    assertThat(ms).as("ms from the API's 201 to the route serving").isLessThan(200);
  }

  @Test
  void concurrentPutsFromTwoClientsExactlyOneWinsNoLostUpdate() throws Exception {
    client.create(route("contended", alpha.url(), "/contended/**"));
    RoutesClient other = new RoutesClient(kit);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<ContractClient.Response>> answers = new ArrayList<>();
      for (RoutesClient c : List.of(client, other)) {
        String upstream = c == client ? alpha.url() : beta.url();
        answers.add(pool.submit(() -> {
          go.await();
          return c.call("PUT", "/api/v1/routes/contended", new JsonObject().put("uri", upstream)
            .put("predicates", new JsonArray().add("Path=/contended/**")), "\"1\"");
        }));
      }
      go.countDown();
      ContractClient.Response a = answers.get(0).get(30, TimeUnit.SECONDS);
      ContractClient.Response b = answers.get(1).get(30, TimeUnit.SECONDS);
      assertThat(List.of(a.status(), b.status())).containsExactlyInAnyOrder(200, 412);
      ContractClient.Response winner = a.status() == 200 ? a : b;
      ContractClient.Response now = client.call("GET", "/api/v1/routes/contended", null);
      assertThat(now.header("ETag")).isEqualTo("\"2\"");
      assertThat(now.json().getJsonObject("definition").getString("uri")).isEqualTo(winner.json().getJsonObject("definition").getString("uri"));
      assertThat(query("SELECT count(*) FROM route_revisions WHERE route_id = 'contended' AND operation = 'update'")).isEqualTo("1");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void badRoutesAre400sNamingTheFieldAndNothingIsSaved() throws Exception {
    ContractClient.Response unknownField = client.call("POST", "/api/v1/routes", route("bad1", alpha.url(), "/b/**").put("predicate", "x"));
    assertThat(unknownField.status()).isEqualTo(400);
    assertThat(unknownField.json().getJsonArray("details").encode()).contains("predicate");

    ContractClient.Response wrongType = client.call("POST", "/api/v1/routes", route("bad2", alpha.url(), "/b/**").put("order", "first"));
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.json().getJsonArray("details").getJsonObject(0).getString("field")).contains("order");

    ContractClient.Response badPredicate = client.call("POST", "/api/v1/routes", new JsonObject().put("id", "bad3").put("uri", alpha.url())
      .put("predicates", new JsonArray().add("Paht=/b/**")));
    assertThat(badPredicate.status()).isEqualTo(400);
    assertThat(badPredicate.json().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("predicates[0]");

    ContractClient.Response unknownService = client.call("POST", "/api/v1/routes", route("bad4", "lb://nowhere", "/b/**"));
    assertThat(unknownService.status()).isEqualTo(400);
    assertThat(unknownService.json().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("uri");
    assertThat(unknownService.json().getJsonArray("details").getJsonObject(0).getString("reason")).contains("nowhere");

    ContractClient.Response badFilterArgs = client.call("POST", "/api/v1/routes", route("bad5", alpha.url(), "/b/**")
      .put("filters", new JsonArray().add("StripPrefix=many")));
    assertThat(badFilterArgs.status()).isEqualTo(400);
    assertThat(badFilterArgs.json().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("filters[0]");

    ContractClient.Response malformed = client.call("POST", "/api/v1/routes", "{\"id\": \"bad6\", ");
    assertThat(malformed.status()).isEqualTo(400);

    assertThat(query("SELECT count(*) FROM routes WHERE id LIKE 'bad%'")).isEqualTo("0");
    assertThat(query("SELECT count(*) FROM route_revisions WHERE route_id LIKE 'bad%'")).isEqualTo("0");
  }

  @Test
  void configRoutesAreListedAndReadOnly() {
    ContractClient.Response list = client.call("GET", "/api/v1/routes?source=config", null);
    assertThat(list.status()).isEqualTo(200);
    JsonObject config = list.json().getJsonArray("items").getJsonObject(0);
    assertThat(config.getString("id")).isEqualTo("from-config");
    assertThat(config.getString("source")).isEqualTo("config");
    assertThat(config.getLong("version")).isZero();

    assertThat(client.call("GET", "/api/v1/routes/from-config", null).json().getString("source")).isEqualTo("config");
    ContractClient.Response create = client.call("POST", "/api/v1/routes", route("from-config", beta.url(), "/config/**"));
    assertThat(create.status()).isEqualTo(409);
    assertThat(create.error()).isEqualTo("read_only");
    assertThat(client.call("PUT", "/api/v1/routes/from-config", new JsonObject().put("uri", beta.url()), "\"1\"").error()).isEqualTo("read_only");
    assertThat(client.call("DELETE", "/api/v1/routes/from-config", null, "\"1\"").error()).isEqualTo("read_only");
    assertThat(new JsonObject(kit.get("/config/x").body()).getString("upstream")).isEqualTo("alpha");
  }

  @Test
  void listFiltersByIdPrefixPredicateAndFilterWithCursorPages() {
    for (int i = 0; i < 3; i++) {
      client.create(route("page-" + i, alpha.url(), "/page" + i + "/**").put("filters", new JsonArray().add(i == 1 ? "StripPrefix=1" : "PrefixPath=/x")));
    }
    ContractClient.Response first = client.call("GET", "/api/v1/routes?idPrefix=page-&limit=2", null);
    assertThat(first.json().getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("id")).toList()).containsExactly("page-0", "page-1");
    String cursor = first.json().getString("nextCursor");
    ContractClient.Response second = client.call("GET", "/api/v1/routes?idPrefix=page-&limit=2&cursor=" + cursor, null);
    assertThat(second.json().getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("id")).toList()).containsExactly("page-2");
    assertThat(second.json().getValue("nextCursor")).isNull();
    ContractClient.Response strip = client.call("GET", "/api/v1/routes?idPrefix=page-&filter=StripPrefix", null);
    assertThat(strip.json().getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("id")).toList()).containsExactly("page-1");
    ContractClient.Response byPredicate = client.call("GET", "/api/v1/routes?predicate=Path&source=api&idPrefix=page-", null);
    assertThat(byPredicate.json().getJsonArray("items")).hasSize(3);
    assertThat(client.call("GET", "/api/v1/routes?predicate=Host&idPrefix=page-", null).json().getJsonArray("items")).isEmpty();
    assertThat(client.call("GET", "/api/v1/routes?colour=red", null).status()).isEqualTo(400);
  }

  @Test
  void validateIsADryRunThatReturnsTheProblems() throws Exception {
    ContractClient.Response ok = client.call("POST", "/api/v1/routes/_validate", new JsonObject().put("routes", new JsonArray()
      .add(route("dry-ok", alpha.url(), "/dry/**"))));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().getBoolean("valid")).isTrue();
    ContractClient.Response bad = client.call("POST", "/api/v1/routes/_validate", new JsonObject().put("routes", new JsonArray()
      .add(route("dry-ok", alpha.url(), "/dry/**")).add(route("dry-bad", "lb://nowhere", "/dry/**"))));
    assertThat(bad.status()).isEqualTo(200);
    assertThat(bad.json().getBoolean("valid")).isFalse();
    assertThat(bad.json().getJsonArray("problems").getJsonObject(0).getString("field")).isEqualTo("routes[1].uri");
    ContractClient.Response dup = client.call("POST", "/api/v1/routes/_validate", new JsonObject().put("routes", new JsonArray()
      .add(route("dry-ok", alpha.url(), "/dry/**")).add(route("dry-ok", alpha.url(), "/dry2/**"))));
    assertThat(dup.json().getJsonArray("problems").getJsonObject(0).getString("field")).isEqualTo("routes[1].id");
    assertThat(query("SELECT count(*) FROM routes WHERE id LIKE 'dry%'")).isEqualTo("0");
  }

  @Test
  void testSaysWhichRouteMatchesAndTheUpstreamUrl() {
    client.create(route("probe", beta.url(), "/probe/**").put("predicates", new JsonArray().add("Path=/probe/**").add("Header=X-Tenant, blue")));
    Eventually.until("probe route in the table", Duration.ofSeconds(5), () ->
      client.call("POST", "/api/v1/routes/probe/_test", new JsonObject().put("method", "GET").put("path", "/probe/1")
        .put("headers", new JsonObject().put("X-Tenant", "blue"))).json().getBoolean("matched"));
    ContractClient.Response hit = client.call("POST", "/api/v1/routes/probe/_test", new JsonObject().put("method", "GET")
      .put("path", "/probe/1?x=2").put("headers", new JsonObject().put("X-Tenant", "blue")));
    assertThat(hit.status()).isEqualTo(200);
    assertThat(hit.json().getString("routeId")).isEqualTo("probe");
    assertThat(hit.json().getBoolean("matchesThisRoute")).isTrue();
    assertThat(hit.json().getString("upstreamUrl")).isEqualTo(beta.url() + "/probe/1?x=2");
    ContractClient.Response miss = client.call("POST", "/api/v1/routes/probe/_test", new JsonObject().put("method", "GET").put("path", "/probe/1"));
    assertThat(miss.json().getBoolean("matched")).isFalse();
    assertThat(miss.json().getBoolean("matchesThisRoute")).isFalse();
    ContractClient.Response other = client.call("POST", "/api/v1/routes/probe/_test", new JsonObject().put("path", "/config/a"));
    assertThat(other.json().getString("routeId")).isEqualTo("from-config");
    assertThat(other.json().getBoolean("matchesThisRoute")).isFalse();
    assertThat(client.call("POST", "/api/v1/routes/nope/_test", new JsonObject().put("path", "/")).status()).isEqualTo(404);
  }
}
