package io.junction.app;

import io.junction.testkit.JunctionTestKit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** A started Junction: both listeners, health, metrics, request ids and JSON errors. */
class BootTest {
  static JunctionTestKit kit;

  @BeforeAll
  static void start() {
    kit = JunctionTestKit.builder().start();
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  @Test
  void readyReportsEveryModuleAndPostgresWithLatency() {
    HttpResponse<String> ready = kit.admin("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(ready.body());
    assertThat(body.getString("status")).isEqualTo("UP");
    JsonArray checks = body.getJsonArray("checks");
    JsonObject postgres = JunctionTestKit.check(checks, "postgres");
    assertThat(postgres.getString("status")).isEqualTo("UP");
    assertThat(postgres.getJsonObject("data").getLong("latencyMs")).isNotNull().isGreaterThanOrEqualTo(0L);
    assertThat(postgres.getJsonObject("data").getString("database")).contains("PostgreSQL at 127.0.0.1");
    assertThat(JunctionTestKit.check(checks, "modules").getString("status")).isEqualTo("UP");
  }

  @Test
  void liveAnswersUp() {
    HttpResponse<String> live = kit.admin("/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(live.body()).getString("status")).isEqualTo("UP");
  }

  @Test
  void metricsArePrometheusTextWithJvmAndVertxMeters() {
    kit.admin("/health/live");
    HttpResponse<String> metrics = kit.admin("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
    assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("vertx_http_server_requests_total");
  }

  @Test
  void unknownPublicPathIsA404JsonErrorWithTheRequestId() {
    HttpResponse<String> response = kit.get("/no/such/route");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("error")).isEqualTo("not_found");
    assertThat(body.getString("message")).contains("GET /no/such/route");
    assertThat(body.getJsonArray("details")).isEmpty();
    assertThat(body.getString("requestId")).isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
  }

  @Test
  void unknownAdminPathIsA404JsonError() {
    HttpResponse<String> response = kit.admin("/api/v1/nothing-here");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(response.body()).getString("error")).isEqualTo("not_found");
  }

  @Test
  void aGoodRequestIdIsKeptAndAHostileOneReplaced() {
    HttpResponse<String> kept = JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri("/x")).header("X-Request-Id", "client-42.abc").build());
    assertThat(kept.headers().firstValue("X-Request-Id")).hasValue("client-42.abc");
    assertThat(new JsonObject(kept.body()).getString("requestId")).isEqualTo("client-42.abc");

    String hostile = "a b\"c" + "x".repeat(200);
    HttpResponse<String> replaced = JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri("/x")).header("X-Request-Id", hostile).build());
    assertThat(replaced.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).hasSize(36).doesNotContain(" "));
  }
}
