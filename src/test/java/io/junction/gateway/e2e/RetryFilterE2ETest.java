package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static io.junction.gateway.e2e.E2E.get;
import static org.assertj.core.api.Assertions.assertThat;

/** Retry through a running Junction: statuses, methods, series, exceptions (a timeout), and a body sent again. */
class RetryFilterE2ETest {
  static TestUpstream upstream;
  static ProbeUpstream probe;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("retry");
    probe = new ProbeUpstream();
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: shortcut
            uri: %1$s
            predicates: [ "Path=/flaky,/status/**" ]
            filters: [ "Retry=2, SERVICE_UNAVAILABLE, GET, 10ms, 50ms, 2, false" ]
          - id: expanded
            uri: %2$s
            predicates: [ "Path=/probe/**" ]
            filters:
              - name: Retry
                args:
                  retries: 3
                  statuses: [ BAD_GATEWAY, 503 ]
                  methods: [ GET, POST ]
                  series: []
                  backoff: { firstBackoff: 10ms, maxBackoff: 40ms, factor: 2, basedOnPreviousValue: false }
          - id: timeout
            uri: %1$s
            predicates: [ "Path=/hang" ]
            metadata: { response-timeout: 300 }
            filters:
              - name: Retry
                args: { retries: 2, statuses: 503 }
      """.formatted(upstream.url(), probe.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
    probe.close();
  }

  @Test
  void shortcutHidesTransientFailures() {
    int before = upstream.requests();
    HttpResponse<String> r = get(kit, "/flaky?fail=2&key=ok");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("attempt 3");
    assertThat(upstream.requests() - before).isEqualTo(3);
  }

  @Test
  void whenRetriesRunOutTheLastAnswerPassesThrough() {
    HttpResponse<String> r = get(kit, "/flaky?fail=10&key=exhausted");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("attempt 3");
  }

  @Test
  void otherMethodsAreNotRetried() {
    HttpResponse<String> r = JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri("/flaky?fail=1&key=post"))
      .POST(HttpRequest.BodyPublishers.ofString("x")).build());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("attempt 1");
  }

  @Test
  void theServerErrorSeriesIsRetriedByDefaultButNotOtherStatuses() {
    int before = upstream.requests();
    assertThat(get(kit, "/status/500").statusCode()).isEqualTo(500);
    assertThat(upstream.requests() - before).as("5xx series is Spring's default").isEqualTo(3);
    before = upstream.requests();
    assertThat(get(kit, "/status/404").statusCode()).isEqualTo(404);
    assertThat(upstream.requests() - before).isEqualTo(1);
  }

  @Test
  void expandedFormRetriesAPostAndSendsItsBodyEveryTime() {
    HttpResponse<String> r = JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri("/probe/x?fail=3&key=post-body"))
      .POST(HttpRequest.BodyPublishers.ofString("{\"order\":42}")).build());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject echo = new JsonObject(r.body());
    assertThat(echo.getInteger("attempt")).isEqualTo(4);
    assertThat(echo.getString("method")).isEqualTo("POST");
    assertThat(echo.getString("body")).isEqualTo("{\"order\":42}");
  }

  @Test
  void expandedFormWithSeriesOffDoesNotRetryOtherServerErrors() {
    int before = probe.requests();
    assertThat(get(kit, "/probe/x?status=500").statusCode()).isEqualTo(500);
    assertThat(probe.requests() - before).isEqualTo(1);
  }

  @Test
  void aTimeoutIsRetriedAndTheLastOneAnswers504() {
    int before = upstream.requests();
    long t0 = System.nanoTime();
    HttpResponse<String> r = get(kit, "/hang");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("upstream_timeout");
    assertThat(upstream.requests() - before).isEqualTo(3);
    assertThat(ms).isBetween(850L, 5000L);
  }

  @Test
  void retriesAreCounted() {
    get(kit, "/flaky?fail=1&key=metric");
    assertThat(kit.admin("/metrics").body()).contains("junction_gateway_retries_total{route=\"shortcut\"}");
  }
}
