package io.junction.routes;

import io.junction.testkit.ContractClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.junction.routes.RoutesApiTest.route;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request bodies: routes and services in YAML as well as JSON (same schema, same field names in errors), and
 * PATCH as JSON Merge Patch (RFC 7396) under application/merge-patch+json or application/json.
 */
class RouteBodiesTest extends AlphaJunction {
  private static List<String> fields(ContractClient.Response r) {
    return r.json().getJsonArray("details").stream().map(d -> ((JsonObject) d).getString("field")).toList();
  }

  private static JsonObject definition(String kind, String id) {
    return client.call("GET", "/api/v1/" + kind + "/" + id, null).json().getJsonObject("definition");
  }

  @Test
  void routesAndServicesCanBeWrittenInYaml() {
    String yaml = "id: yaml-one\nuri: " + alpha.url() + "\norder: 4\npredicates:\n  - Path=/yaml-one/**\nfilters:\n  - StripPrefix=1\n"
      + "metadata:\n  response-timeout: 1500\n";
    ContractClient.Response created = client.raw("POST", "/api/v1/routes", "application/yaml", yaml);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Content-Type")).startsWith("application/json");
    JsonObject stored = created.json().getJsonObject("definition");
    assertThat(stored.getInteger("order")).isEqualTo(4);
    assertThat(stored.getJsonObject("metadata").getInteger("response-timeout")).isEqualTo(1500);
    assertThat(stored.getJsonArray("filters").encode()).contains("StripPrefix");

    ContractClient.Response replaced = client.raw("PUT", "/api/v1/routes/yaml-one", "text/yaml; charset=utf-8",
      "id: yaml-one\nuri: " + alpha.url() + "\npredicates: [\"Path=/yaml-two/**\"]\n", created.header("ETag"));
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(definition("routes", "yaml-one").getInteger("order")).isZero();

    ContractClient.Response service = client.raw("POST", "/api/v1/services", "application/yaml",
      "id: yaml-svc\ninstances:\n  - " + alpha.url() + "\nloadBalancer: round-robin\n");
    assertThat(service.status()).isEqualTo(201);
    assertThat(definition("services", "yaml-svc").getString("loadBalancer")).isEqualTo("round-robin");
  }

  @Test
  void badYamlIsA400NamingTheFieldAndSavesNothing() throws Exception {
    ContractClient.Response syntax = client.raw("POST", "/api/v1/routes", "application/yaml", "id: broken\nuri: [unclosed\n");
    assertThat(syntax.status()).isEqualTo(400);
    assertThat(syntax.json().getJsonArray("details").getJsonObject(0).getString("reason")).contains("malformed YAML").contains("line");

    ContractClient.Response wrongType = client.raw("POST", "/api/v1/routes", "application/yaml",
      "id: typed\nuri: " + alpha.url() + "\norder: first\npredicates: [\"Path=/typed/**\"]\n");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(fields(wrongType)).anyMatch(f -> f.contains("order"));

    ContractClient.Response unknown = client.raw("POST", "/api/v1/routes", "text/yaml",
      "id: unknown-field\nuri: " + alpha.url() + "\npredicate: [\"Path=/u/**\"]\n");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().encode()).contains("predicate");

    ContractClient.Response badPredicate = client.raw("POST", "/api/v1/routes", "application/yaml",
      "id: bad-predicate\nuri: " + alpha.url() + "\npredicates: [\"Paht=/x/**\"]\n");
    assertThat(badPredicate.status()).isEqualTo(400);
    assertThat(fields(badPredicate)).containsExactly("predicates[0]");

    ContractClient.Response notAMapping = client.raw("POST", "/api/v1/routes", "application/yaml", "- just\n- a list\n");
    assertThat(notAMapping.status()).isEqualTo(400);
    assertThat(RoutesApiTest.queryOn(kit, "SELECT count(*) FROM routes WHERE id IN ('broken', 'typed', 'unknown-field', 'bad-predicate')")).isEqualTo("0");

    assertThat(client.raw("POST", "/api/v1/routes", "application/x-yaml", "id: x\n").status()).isEqualTo(415);
    assertThat(client.raw("POST", "/api/v1/routes", "application/yaml; charset=latin1", "id: x\n").status()).isEqualTo(415);
  }

  @Test
  void patchIsJsonMergePatch() throws Exception {
    JsonObject base = route("merge", alpha.url(), "/merge/**").put("order", 7)
      .put("filters", new JsonArray().add("StripPrefix=1").add("AddRequestHeader=X-A, 1"))
      .put("metadata", new JsonObject().put("response-timeout", 1500).put("connect-timeout", 500));
    String etag = client.create(base);
    String patchType = "application/merge-patch+json";

    // null removes a key (top level and inside an object); objects merge key by key
    ContractClient.Response removed = client.raw("PATCH", "/api/v1/routes/merge", patchType,
      "{\"order\":null,\"metadata\":{\"connect-timeout\":null,\"extra\":{\"a\":1,\"gone\":null}}}", etag);
    assertThat(removed.status()).isEqualTo(200);
    JsonObject after = definition("routes", "merge");
    assertThat(after.getInteger("order")).as("order removed, so the default").isZero();
    assertThat(after.getJsonObject("metadata").getInteger("response-timeout")).as("untouched keys stay").isEqualTo(1500);
    assertThat(after.getJsonObject("metadata").containsKey("connect-timeout")).isFalse();
    assertThat(after.getJsonObject("metadata").getJsonObject("extra")).as("a new object's nulls are dropped")
      .isEqualTo(new JsonObject().put("a", 1));

    // arrays replace, never merge
    ContractClient.Response arrays = client.raw("PATCH", "/api/v1/routes/merge", patchType,
      "{\"filters\":[\"StripPrefix=2\"]}", removed.header("ETag"));
    assertThat(arrays.status()).isEqualTo(200);
    assertThat(definition("routes", "merge").getJsonArray("filters")).hasSize(1);
    assertThat(definition("routes", "merge").getJsonArray("filters").encode()).contains("StripPrefix").doesNotContain("AddRequestHeader");

    // application/json is the same merge patch
    ContractClient.Response alias = client.raw("PATCH", "/api/v1/routes/merge", "application/json",
      "{\"metadata\":{\"response-timeout\":2500}}", arrays.header("ETag"));
    assertThat(alias.status()).isEqualTo(200);
    assertThat(definition("routes", "merge").getJsonObject("metadata").getInteger("response-timeout")).isEqualTo(2500);
    String current = alias.header("ETag");

    // other media types: 415, nothing changed
    assertThat(client.raw("PATCH", "/api/v1/routes/merge", "text/plain", "{\"order\":1}", current).status()).isEqualTo(415);
    assertThat(client.raw("PATCH", "/api/v1/routes/merge", "application/json-patch+json", "[{\"op\":\"remove\",\"path\":\"/order\"}]", current)
      .status()).isEqualTo(415);
    assertThat(client.raw("PATCH", "/api/v1/routes/merge", patchType, "{\"order\":", current).status()).isEqualTo(400);

    // a patch that makes the route invalid: 400 naming the field, nothing saved
    String before = RoutesApiTest.queryOn(kit, "SELECT definition::text || version FROM routes WHERE id = 'merge'");
    ContractClient.Response invalid = client.raw("PATCH", "/api/v1/routes/merge", patchType, "{\"predicates\":[\"Paht=/x/**\"]}", current);
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(fields(invalid)).containsExactly("predicates[0]");
    ContractClient.Response noUri = client.raw("PATCH", "/api/v1/routes/merge", patchType, "{\"uri\":null}", current);
    assertThat(noUri.status()).isEqualTo(400);
    assertThat(fields(noUri)).anyMatch(f -> f.contains("uri"));
    ContractClient.Response otherId = client.raw("PATCH", "/api/v1/routes/merge", patchType, "{\"id\":\"renamed\"}", current);
    assertThat(otherId.status()).isEqualTo(400);
    assertThat(fields(otherId)).containsExactly("id");
    assertThat(RoutesApiTest.queryOn(kit, "SELECT definition::text || version FROM routes WHERE id = 'merge'")).isEqualTo(before);

    // services too
    assertThat(client.call("POST", "/api/v1/services", new JsonObject().put("id", "merge-svc").put("instances", new JsonArray().add(alpha.url()))
      .put("healthCheck", new JsonObject().put("path", "/health").put("interval", "5s"))).status()).isEqualTo(201);
    ContractClient.Response service = client.raw("PATCH", "/api/v1/services/merge-svc", patchType,
      "{\"healthCheck\":{\"interval\":\"10s\"}}", "\"1\"");
    assertThat(service.status()).isEqualTo(200);
    assertThat(definition("services", "merge-svc").getJsonObject("healthCheck"))
      .isEqualTo(new JsonObject().put("path", "/health").put("interval", "10s"));
  }

  @Test
  void mergeFollowsRfc7396() {
    JsonObject target = new JsonObject("{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"},\"list\":[1,2],\"s\":\"x\"}");
    JsonObject patch = new JsonObject("{\"a\":\"z\",\"c\":{\"f\":null},\"list\":[3],\"s\":{\"n\":null,\"k\":1},\"new\":null}");
    assertThat(DefinitionsApi.merge(target, patch))
      .isEqualTo(new JsonObject("{\"a\":\"z\",\"c\":{\"d\":\"e\"},\"list\":[3],\"s\":{\"k\":1}}"));
  }
}
