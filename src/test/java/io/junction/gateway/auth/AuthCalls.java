package io.junction.gateway.auth;

import io.junction.testkit.JunctionTestKit;
import io.vertx.core.json.JsonObject;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Calls through a running Junction and checks of the auth filters' answers. */
final class AuthCalls {
  private AuthCalls() {
  }

  static HttpResponse<String> get(JunctionTestKit kit, String path, String... headerPairs) {
    HttpRequest.Builder b = HttpRequest.newBuilder(kit.publicUri(path)).GET();
    for (int i = 0; i < headerPairs.length; i += 2) {
      b.header(headerPairs[i], headerPairs[i + 1]);
    }
    return JunctionTestKit.send(b.build());
  }

  static HttpResponse<String> bearer(JunctionTestKit kit, String path, String token) {
    return get(kit, path, "Authorization", "Bearer " + token);
  }

  /** The headers the upstream echoed (lower-case names) of a response that must be 200. */
  static JsonObject upstreamHeaders(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getJsonObject("headers");
  }

  /** A JSON error of the outside contract with this status and code; returns the body. */
  static JsonObject error(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("error")).as(r.body()).isEqualTo(code);
    assertThat(body.getString("message")).isNotBlank();
    assertThat(body.getJsonArray("details")).isNotNull();
    assertThat(body.getString("requestId")).isNotBlank();
    return body;
  }

  /** A 401 for a bad bearer token: JSON error plus the RFC 6750 challenge. */
  static void invalidToken(HttpResponse<String> r, String code) {
    error(r, 401, code);
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h ->
      assertThat(h).startsWith("Bearer ").contains("error=\"invalid_token\"").contains("error_description=\""));
  }

  static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " within 10 s");
      }
      Thread.sleep(20);
    }
  }
}
