package io.junction.routes;

import io.junction.testkit.ContractClient;
import io.junction.testkit.Eventually;
import io.junction.testkit.JunctionTestKit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/v1/routes/{id}/_test} reports the upstream URL and Host the proxy really uses: for each
 * path-rewriting filter, the reported URL is compared with what a real upstream receives for the same request.
 */
class RouteProbeTest extends AlphaJunction {
  @BeforeAll
  static void routes() {
    assertThat(client.call("POST", "/api/v1/services", new JsonObject().put("id", "probe-svc").put("instances", new JsonArray().add(alpha.url())))
      .status()).isEqualTo(201);
    route("strip", alpha.url(), "Path=/strip/{seg}/**", "StripPrefix=2");
    route("prefix", alpha.url(), "Path=/prefix/{seg}/**", "PrefixPath=/v1/{seg}");
    route("rewrite", "lb://probe-svc", "Path=/rewrite/**", "RewritePath=/rewrite/(?<rest>.*), /new/${rest}");
    route("setpath", alpha.url(), "Path=/setpath/{id}", "SetPath=/items/{id}/detail");
    route("host", alpha.url(), "Path=/host/**", "SetRequestHostHeader=api.example.test", "StripPrefix=1");
    route("chain", alpha.url(), "Path=/chain/{a}/**", "StripPrefix=1", "PrefixPath=/base", "RewritePath=/base/(?<x>[^/]+)/(?<y>.*), /b/${y}/${x}");
    route("plain", alpha.url(), "Path=/plain/**");
    route("missing", alpha.url(), "Path=/missing/**", "SetPath=/x/{nothing}");
    // every route live, the last one created included (changes reach the gateway in debounced batches)
    Eventually.until("routes live", Duration.ofSeconds(5),
      () -> kit.get("/plain/x").statusCode() == 200 && kit.get("/missing/a").statusCode() == 500);
  }

  private static void route(String id, String uri, String predicate, String... filters) {
    JsonArray list = new JsonArray();
    for (String f : filters) {
      list.add(f);
    }
    client.create(new JsonObject().put("id", id).put("uri", uri).put("predicates", new JsonArray().add(predicate)).put("filters", list));
  }

  /** The probe's answer and the upstream's echo of the same request must agree on URL and Host. */
  private static JsonObject sameAsProxy(String id, String pathAndQuery, String hostHeader) {
    JsonObject probe = new JsonObject().put("method", "GET").put("path", pathAndQuery);
    if (hostHeader != null) {
      probe.put("headers", new JsonObject().put("Host", hostHeader));
    }
    ContractClient.Response answer = client.call("POST", "/api/v1/routes/" + id + "/_test", probe);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().getString("routeId")).isEqualTo(id);
    HttpResponse<String> proxied = JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri(pathAndQuery)).GET().build());
    assertThat(proxied.statusCode()).as(id + " through the proxy").isEqualTo(200);
    JsonObject echo = new JsonObject(proxied.body());
    assertThat(answer.json().getString("upstreamUrl")).as(id + ": reported vs received").isEqualTo(alpha.url() + echo.getString("uri"));
    assertThat(answer.json().getString("upstreamHost")).as(id + ": Host").isEqualTo(echo.getJsonObject("headers").getString("host"));
    return echo;
  }

  @Test
  void theReportedUpstreamUrlIsWhatTheUpstreamReceives() {
    assertThat(sameAsProxy("strip", "/strip/a/b/c?x=1&y=two", null).getString("uri")).isEqualTo("/b/c?x=1&y=two");
    assertThat(sameAsProxy("strip", "/strip/a/hello%20world/", null).getString("uri")).isEqualTo("/hello%20world/");
    assertThat(sameAsProxy("prefix", "/prefix/blue/items", null).getString("uri")).isEqualTo("/v1/blue/prefix/blue/items");
    assertThat(sameAsProxy("rewrite", "/rewrite/deep/path?q=%2F", null).getString("uri")).isEqualTo("/new/deep/path?q=%2F");
    assertThat(sameAsProxy("setpath", "/setpath/42", null).getString("uri")).isEqualTo("/items/42/detail");
    JsonObject host = sameAsProxy("host", "/host/a", null);
    assertThat(host.getString("uri")).isEqualTo("/a");
    assertThat(host.getJsonObject("headers").getString("host")).isEqualTo("api.example.test");
    assertThat(sameAsProxy("chain", "/chain/one/two/three", null).getString("uri")).isEqualTo("/b/two/three/one");
    assertThat(sameAsProxy("plain", "/plain/%C3%A9t%C3%A9", null).getString("uri")).isEqualTo("/plain/%C3%A9t%C3%A9");
  }

  @Test
  void aFilterThatCannotApplyIsReportedAsTheProxysFailure() {
    ContractClient.Response answer = client.call("POST", "/api/v1/routes/missing/_test", new JsonObject().put("path", "/missing/a"));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().getValue("upstreamUrl")).isNull();
    assertThat(answer.json().getString("problem")).contains("nothing");
    assertThat(kit.get("/missing/a").statusCode()).isEqualTo(500);

    ContractClient.Response bad = client.call("POST", "/api/v1/routes/plain/_test", new JsonObject().put("path", "/plain/../../etc"));
    assertThat(bad.status()).isEqualTo(400);
  }
}
