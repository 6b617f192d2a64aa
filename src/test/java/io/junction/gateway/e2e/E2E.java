package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.vertx.core.json.JsonObject;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Small shared steps of the end-to-end tests: calls through the kit's client, and reading the echo JSON. */
final class E2E {
  private E2E() {
  }

  /** GET with header pairs: {@code get(kit, "/x", "X-A", "1", "X-B", "2")}. */
  static HttpResponse<String> get(JunctionTestKit kit, String path, String... headerPairs) {
    HttpRequest.Builder b = HttpRequest.newBuilder(kit.publicUri(path)).GET();
    for (int i = 0; i < headerPairs.length; i += 2) {
      b.header(headerPairs[i], headerPairs[i + 1]);
    }
    return JunctionTestKit.send(b.build());
  }

  /** The echo JSON of a 200 response (fails with the body when the status is not 200). */
  static JsonObject echo(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  /** The echo JSON of a GET that must reach the upstream. */
  static JsonObject echo(JunctionTestKit kit, String path, String... headerPairs) {
    return echo(get(kit, path, headerPairs));
  }

  /** The headers the upstream received (lower-cased names). */
  static JsonObject upstreamHeaders(JunctionTestKit kit, String path, String... headerPairs) {
    return echo(kit, path, headerPairs).getJsonObject("headers");
  }

  /**
   * Rewrites the watched config file and waits (at most 15 s) until {@code probePath}, which only the new
   * config routes, answers 200: the new route table is live.
   */
  static void reload(JunctionTestKit kit, String yaml, String probePath) throws Exception {
    kit.writeConfig(yaml);
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (get(kit, probePath).statusCode() != 200) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the new config was not applied within 15 s");
      }
      Thread.sleep(50);
    }
  }

  /**
   * Starts Junction with {@code yaml} on {@code database} (shared by the bad-config cases of a class: a failed
   * start needs no fresh one), expects the start to fail, and returns every message of the failure's cause
   * chain (one per line) for the caller to check.
   */
  static String startFailure(String yaml, String database) {
    JunctionTestKit started;
    try {
      started = JunctionTestKit.builder().database(database).yaml(yaml).start();
    } catch (RuntimeException expected) {
      StringBuilder messages = new StringBuilder();
      for (Throwable t = expected; t != null; t = t.getCause() == t ? null : t.getCause()) {
        messages.append(t.getMessage()).append('\n');
      }
      return messages.toString();
    }
    started.close();
    throw new AssertionError("Junction started with a bad config:\n" + yaml);
  }

  /** Asserts a 404 from Junction itself (no route matched): nothing reached an upstream. */
  static void noRoute(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("not_found");
  }
}
