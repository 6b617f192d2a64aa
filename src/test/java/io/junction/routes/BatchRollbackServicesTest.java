package io.junction.routes;

import io.junction.testkit.ContractClient;
import io.junction.testkit.Eventually;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.junction.routes.RoutesApiTest.route;
import static org.assertj.core.api.Assertions.assertThat;

/** Batches (all or nothing), history, diffs and rollback, and services managed the same way, against the proxy. */
class BatchRollbackServicesTest {
  static TestUpstream alpha;
  static TestUpstream beta;
  static JunctionTestKit kit;
  static RoutesClient client;

  @BeforeAll
  static void start() throws Exception {
    alpha = new TestUpstream("alpha");
    beta = new TestUpstream("beta");
    kit = JunctionTestKit.builder().start();
    client = new RoutesClient(kit);
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    alpha.close();
    beta.close();
  }

  private static String upstreamOf(String path) {
    var r = kit.get(path);
    return r.statusCode() == 200 ? new JsonObject(r.body()).getString("upstream") : "status " + r.statusCode();
  }

  private static void eventuallyServedBy(String path, String upstream) {
    Eventually.until(path + " served by " + upstream, Duration.ofSeconds(5), () -> upstream.equals(upstreamOf(path)));
  }

  @Test
  void aBatchIsAllOrNothing() {
    client.create(route("b-keep", alpha.url(), "/b-keep/**"));
    client.create(route("b-gone", alpha.url(), "/b-gone/**"));
    JsonObject batch = new JsonObject().put("changes", new JsonArray()
      .add(new JsonObject().put("op", "create").put("definition", route("b-new", beta.url(), "/b-new/**")))
      .add(new JsonObject().put("op", "update").put("id", "b-keep").put("version", 1).put("definition", route("b-keep", beta.url(), "/b-keep/**")))
      .add(new JsonObject().put("op", "delete").put("id", "b-gone").put("version", 1)));

    JsonObject duplicate = batch.copy();
    duplicate.getJsonArray("changes").add(new JsonObject().put("op", "delete").put("id", "b-keep").put("version", 1));
    ContractClient.Response dup = client.call("POST", "/api/v1/routes/_batch", duplicate);
    assertThat(dup.status()).isEqualTo(400);
    assertThat(dup.json().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("changes[3].id");
    assertThat(dup.json().getJsonArray("details").getJsonObject(0).getString("reason")).contains("b-keep");

    JsonObject stale = batch.copy();
    stale.getJsonArray("changes").getJsonObject(1).put("version", 9);
    stale.getJsonArray("changes").getJsonObject(2).put("id", "b-absent");
    ContractClient.Response conflict = client.call("POST", "/api/v1/routes/_batch", stale);
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.json().getString("message")).contains("b-keep").contains("b-absent");
    assertThat(conflict.json().getJsonArray("details")).hasSize(2);

    JsonObject invalid = batch.copy();
    invalid.getJsonArray("changes").getJsonObject(0).put("definition", route("b-new", "lb://nowhere", "/b-new/**"));
    ContractClient.Response bad = client.call("POST", "/api/v1/routes/_batch", invalid);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("changes[0].definition.uri");

    // nothing of the refused batches happened
    assertThat(client.call("GET", "/api/v1/routes/b-new", null).status()).isEqualTo(404);
    assertThat(client.call("GET", "/api/v1/routes/b-keep", null).header("ETag")).isEqualTo("\"1\"");
    assertThat(client.call("GET", "/api/v1/routes/b-gone", null).status()).isEqualTo(200);

    ContractClient.Response done = client.call("POST", "/api/v1/routes/_batch", batch);
    assertThat(done.status()).isEqualTo(200);
    assertThat(done.json().getJsonArray("results")).hasSize(3);
    assertThat(client.call("GET", "/api/v1/routes/b-gone", null).status()).isEqualTo(404);
    eventuallyServedBy("/b-new/x", "beta");
    eventuallyServedBy("/b-keep/x", "beta");
  }

  @Test
  void rollbackRestoresThePreviousBehaviourAsANewRevision() {
    client.create(route("rb", alpha.url(), "/rb/**"));
    eventuallyServedBy("/rb/x", "alpha");
    long createdAt = client.call("GET", "/api/v1/routes/rb/revisions", null).json().getJsonArray("items").getJsonObject(0).getLong("revision");
    assertThat(client.call("PUT", "/api/v1/routes/rb", route("rb", beta.url(), "/rb/**"), "\"1\"").status()).isEqualTo(200);
    eventuallyServedBy("/rb/x", "beta");

    ContractClient.Response diff = client.call("GET", "/api/v1/revisions/" + createdAt + ".." + (createdAt + 1000) + "/diff", null);
    assertThat(diff.status()).isEqualTo(200);
    JsonObject change = diff.json().getJsonArray("changes").stream().map(c -> (JsonObject) c)
      .filter(c -> c.getString("id").equals("rb")).findFirst().orElseThrow();
    assertThat(change.getString("change")).isEqualTo("changed");
    assertThat(change.getJsonObject("before").getString("uri")).isEqualTo(alpha.url());
    assertThat(change.getJsonObject("after").getString("uri")).isEqualTo(beta.url());

    ContractClient.Response rolled = client.call("POST", "/api/v1/routes/_rollback", new JsonObject().put("revision", createdAt).put("id", "rb"));
    assertThat(rolled.status()).isEqualTo(200);
    assertThat(rolled.json().getJsonArray("results")).hasSize(1);
    eventuallyServedBy("/rb/x", "alpha");
    ContractClient.Response now = client.call("GET", "/api/v1/routes/rb", null);
    assertThat(now.header("ETag")).isEqualTo("\"3\"");
    assertThat(client.call("GET", "/api/v1/routes/rb/revisions", null).json().getJsonArray("items").getJsonObject(0).getString("operation"))
      .isEqualTo("rollback");

    ContractClient.Response since = client.call("GET", "/api/v1/revisions?since=" + createdAt, null);
    assertThat(since.json().getJsonArray("items").stream().map(r -> (JsonObject) r).filter(r -> r.getString("id").equals("rb"))
      .map(r -> r.getString("operation")).toList()).containsExactly("update", "rollback");
    // rolling back again to the same point changes nothing
    assertThat(client.call("POST", "/api/v1/routes/_rollback", new JsonObject().put("revision", createdAt).put("id", "rb"))
      .json().getJsonArray("results")).isEmpty();
    assertThat(client.call("POST", "/api/v1/routes/_rollback", new JsonObject().put("id", "rb")).status()).isEqualTo(400);
  }

  @Test
  void servicesAreManagedTheSameWayAndRoutesUseThem() {
    ContractClient.Response created = client.call("POST", "/api/v1/services", new JsonObject().put("id", "pool")
      .put("instances", new JsonArray().add(alpha.url())));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("ETag")).isEqualTo("\"1\"");
    client.create(route("via-pool", "lb://pool", "/pool/**"));
    eventuallyServedBy("/pool/x", "alpha");

    ContractClient.Response badBalancer = client.call("PATCH", "/api/v1/services/pool", new JsonObject().put("loadBalancer", "fastest"), "\"1\"");
    assertThat(badBalancer.status()).isEqualTo(400);
    assertThat(badBalancer.json().getJsonArray("details").getJsonObject(0).getString("field")).startsWith("loadBalancer");

    assertThat(client.call("PUT", "/api/v1/services/pool", new JsonObject().put("instances", new JsonArray().add(beta.url())), "\"1\"").status())
      .isEqualTo(200);
    eventuallyServedBy("/pool/x", "beta");

    ContractClient.Response inUse = client.call("DELETE", "/api/v1/services/pool", null, "\"2\"");
    assertThat(inUse.status()).isEqualTo(409);
    assertThat(inUse.json().getJsonArray("details").getJsonObject(0).getString("field")).contains("via-pool");
    assertThat(client.call("GET", "/api/v1/services?source=api", null).json().getJsonArray("items")).hasSize(1);
    assertThat(client.call("GET", "/api/v1/services/pool/revisions", null).json().getJsonArray("items")).hasSize(2);
  }
}
