package io.junction.observability;

import io.junction.testkit.Eventually;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestRedis;
import io.junction.testkit.TestUpstream;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tracing.enabled with redis.url: the Redis-backed RequestRateLimiter's script call is a client span of the request's
 * trace. Vert.x's Redis client makes it through the Vert.x tracer (the client's default tracing policy propagates:
 * a command sent from a traced request's context is its child; one sent outside any trace makes no span).
 */
class RateLimiterTracingTest {
  static TestUpstream upstream;
  static JunctionTestKit kit;
  static final InMemorySpanExporter spans = InMemorySpanExporter.create();

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream();
    kit = JunctionTestKit.builder()
      .env("JUNCTION_TRACING_ENABLED", "true")
      .env("JUNCTION_TRACING_EXPORTER", "none")
      .env("JUNCTION_REDIS_URL", TestRedis.url())
      .yaml("""
        gateway:
          routes:
            - id: limited
              uri: %s
              predicates: [ "Path=/limited/**" ]
              filters: [ "StripPrefix=1", "RequestRateLimiter=1000, 1000, 1, header:X-Key" ]
        """.formatted(upstream.url())).start();
    kit.junction().tracing().addSpanProcessor(SimpleSpanProcessor.create(spans));
  }

  @AfterAll
  static void stop() throws Exception {
    if (kit != null) {
      kit.close();
    }
    upstream.close();
  }

  @Test
  void redisRateLimiterCallIsAChildOfTheGatewayServerSpan() {
    String traceId = "7ace0000000000000000000000000001";
    HttpResponse<String> response = JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri("/limited/echo/x"))
      .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01").header("X-Key", "tracing-" + System.nanoTime())
      .GET().build());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-RateLimit-Remaining")).hasValue("999");

    Eventually.until("3 spans of the trace", Duration.ofSeconds(5), () -> trace(traceId).size() >= 3);
    List<SpanData> trace = trace(traceId);
    SpanData server = trace.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    SpanData redis = trace.stream().filter(s -> "redis".equals(attribute(s, "db.system"))).findFirst()
      .orElseThrow(() -> new AssertionError("no Redis span in " + describe(trace)));
    assertThat(redis.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(redis.getParentSpanId()).as(describe(trace).toString()).isEqualTo(server.getSpanId());
    // EVALSHA, or EVAL first when this Redis has not seen the script yet: either way a child of the server span
    assertThat(trace).filteredOn(s -> "redis".equals(attribute(s, "db.system")))
      .allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(server.getSpanId()))
      .anySatisfy(s -> assertThat(attribute(s, "db.operation.name")).isEqualTo("evalsha"));
  }

  private static List<SpanData> trace(String traceId) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
  }

  static String attribute(SpanData span, String key) {
    return span.getAttributes().asMap().entrySet().stream().filter(e -> e.getKey().getKey().equals(key))
      .map(e -> String.valueOf(e.getValue())).findFirst().orElse(null);
  }

  static List<String> describe(List<SpanData> trace) {
    return trace.stream().map(s -> s.getKind() + " " + s.getName() + " " + s.getSpanId() + "<-" + s.getParentSpanId()
      + " " + s.getAttributes().asMap()).toList();
  }
}
