package io.junction.http;

import io.junction.testkit.FreePorts;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestRedis;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Optional dependencies appear in readiness only when configured, each with its status and latency. */
class DependencyHealthTest {

  @Test
  void withoutRedisOrKafkaOnlyPostgresIsChecked() {
    try (JunctionTestKit kit = JunctionTestKit.builder().start()) {
      String body = kit.admin("/health/ready").body();
      assertThat(body).contains("\"postgres\"").doesNotContain("\"redis\"").doesNotContain("\"kafka\"");
    }
  }

  @Test
  void configuredRedisIsReportedUpWithLatency() {
    try (JunctionTestKit kit = JunctionTestKit.builder().env("JUNCTION_REDIS_URL", TestRedis.url()).start()) {
      HttpResponse<String> ready = kit.admin("/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      JsonObject redis = JunctionTestKit.check(new JsonObject(ready.body()).getJsonArray("checks"), "redis");
      assertThat(redis.getString("status")).isEqualTo("UP");
      assertThat(redis.getJsonObject("data").getLong("latencyMs")).isGreaterThanOrEqualTo(0L);
    }
  }

  @Test
  void unreachableRedisAndKafkaMakeReadiness503NamingThem() {
    int deadRedis = FreePorts.next();
    int deadKafka = FreePorts.next();
    try (JunctionTestKit kit = JunctionTestKit.builder()
      .env("JUNCTION_REDIS_URL", "redis://:hunter2@127.0.0.1:" + deadRedis)
      .env("JUNCTION_KAFKA_BOOTSTRAPSERVERS", "127.0.0.1:" + deadKafka)
      .start()) {
      long t0 = System.nanoTime();
      HttpResponse<String> ready = kit.admin("/health/ready");
      assertThat((System.nanoTime() - t0) / 1_000_000).as("a dead dependency answers within its 2 s timeout").isLessThan(5000);
      assertThat(ready.statusCode()).isEqualTo(503);
      JsonObject body = new JsonObject(ready.body());
      assertThat(JunctionTestKit.check(body.getJsonArray("checks"), "redis").getString("status")).isEqualTo("DOWN");
      assertThat(JunctionTestKit.check(body.getJsonArray("checks"), "kafka").getString("status")).isEqualTo("DOWN");
      assertThat(JunctionTestKit.check(body.getJsonArray("checks"), "postgres").getString("status")).isEqualTo("UP");
      assertThat(ready.body()).as("passwords never appear in health output").doesNotContain("hunter2");
    }
  }
}
