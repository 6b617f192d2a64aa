package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Method predicate through a running Junction. */
class MethodPredicateE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("method");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: read-write
            uri: %1$s
            predicates: [ "Path=/m/**", "Method=GET,POST" ]
            filters: [ "AddRequestHeader=X-Route, read-write" ]
          - id: lower-case-config
            uri: %1$s
            predicates:
              - Path=/m/**
              - name: Method
                args: { methods: [ put, Delete ] }
            filters: [ "AddRequestHeader=X-Route, lower-case-config" ]
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  private static HttpResponse<String> call(String method, String body) {
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
    return JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri("/m/items")).method(method, publisher).build());
  }

  private static JsonObject echo(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  @Test
  void shortcutListOfMethods() {
    JsonObject get = echo(call("GET", null));
    assertThat(get.getString("method")).isEqualTo("GET");
    assertThat(get.getJsonObject("headers").getString("x-route")).isEqualTo("read-write");

    JsonObject post = echo(call("POST", "{\"a\":1}"));
    assertThat(post.getString("method")).isEqualTo("POST");
    assertThat(post.getString("body")).isEqualTo("{\"a\":1}");
    assertThat(post.getJsonObject("headers").getString("x-route")).isEqualTo("read-write");
  }

  @Test
  void expandedFormConfigValuesAreUpperCased() {
    JsonObject put = echo(call("PUT", "x"));
    assertThat(put.getString("method")).isEqualTo("PUT");
    assertThat(put.getString("body")).isEqualTo("x");
    assertThat(put.getJsonObject("headers").getString("x-route")).isEqualTo("lower-case-config");
    JsonObject delete = echo(call("DELETE", null));
    assertThat(delete.getString("method")).isEqualTo("DELETE");
    assertThat(delete.getJsonObject("headers").getString("x-route")).isEqualTo("lower-case-config");
  }

  @Test
  void otherMethodsMatchNoRoute() {
    int before = upstream.requests();
    for (String method : new String[] {"PATCH", "OPTIONS", "HEAD"}) {
      HttpResponse<String> r = call(method, null);
      assertThat(r.statusCode()).as(method).isEqualTo(404);
    }
    assertThat(upstream.requests()).isEqualTo(before);
  }

  @Test
  void requestMethodsAreCaseSensitive() throws IOException {
    RawHttp.Response r = RawHttp.send(null, kit.publicPort(), "get", "/m/items");
    assertThat(r.status()).as("'get' is not GET (RFC 9110 §9.1)").isNotEqualTo(200);
  }
}
