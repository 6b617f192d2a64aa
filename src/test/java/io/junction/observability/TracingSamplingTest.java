package io.junction.observability;

import io.junction.testkit.Eventually;
import io.junction.testkit.JunctionTestKit;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sampling at 50%: the decision is made before any span work (SamplingTracer), and it is the SDK's decision —
 * parent-based, then the trace-id ratio — so spans exist exactly for the trace ids the ratio sampler keeps, and
 * every request, recorded or not, sends its trace id on to the upstream with the right sampled flag.
 */
class TracingSamplingTest extends TracedGateway {
  static final double RATIO = 0.5;

  @BeforeAll
  static void start() throws Exception {
    startTracing(RATIO);
  }

  @Test
  void newTracesAreRecordedExactlyWhenTheRatioSamplerKeepsTheirTraceId() {
    Sampler ratio = Sampler.traceIdRatioBased(RATIO);
    Set<String> kept = new HashSet<>();
    Set<String> dropped = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String received = forwardedTraceparent(HttpRequest.newBuilder(kit.publicUri("/api/echo/" + i)).GET().build());
      assertThat(received).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
      String traceId = received.substring(3, 35);
      boolean sampled = received.endsWith("-01");
      boolean sdkKeeps = ratio.shouldSample(Context.root(), traceId, "GET", SpanKind.SERVER, Attributes.empty(), List.of())
        .getDecision() == SamplingDecision.RECORD_AND_SAMPLE;
      assertThat(sampled).as("flag sent upstream for trace %s", traceId).isEqualTo(sdkKeeps);
      (sampled ? kept : dropped).add(traceId);
    }
    assertThat(kept).hasSizeBetween(50, 150);
    assertThat(dropped).hasSizeBetween(50, 150);
    Eventually.until("a server span for every kept trace", Duration.ofSeconds(5), () -> serverTraces().containsAll(kept));
    assertThat(serverTraces()).doesNotContainAnyElementsOf(dropped);
    // a span of another test's request may still arrive: look only at this test's traces
    assertThat(spans.getFinishedSpanItems()).filteredOn(s -> kept.contains(s.getTraceId()) || dropped.contains(s.getTraceId()))
      .allMatch(s -> kept.contains(s.getTraceId()));
  }

  @Test
  void anUnsampledParentIsRespectedAndItsTraceIdSentOn() {
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    String received = forwardedTraceparent(HttpRequest.newBuilder(kit.publicUri("/api/echo/unsampled"))
      .header("traceparent", "00-" + traceId + "-b7ad6b7169203331-00").GET().build());
    assertThat(received).startsWith("00-" + traceId + "-").endsWith("-00");
    assertThat(received).doesNotContain("b7ad6b7169203331"); // this hop is the upstream's parent
    assertThat(kit.get("/api/echo/after").statusCode()).isEqualTo(200);
    assertThat(spans.getFinishedSpanItems()).noneMatch(s -> s.getTraceId().equals(traceId));
  }

  @Test
  void aSampledParentIsAlwaysRecordedWhateverTheRatio() {
    // a trace id the 50% ratio sampler would drop on its own: the parent's flag wins
    String traceId = "ffffffffffffffffffffffffffffffff";
    String received = forwardedTraceparent(HttpRequest.newBuilder(kit.publicUri("/api/echo/sampled"))
      .header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01").GET().build());
    assertThat(received).startsWith("00-" + traceId + "-").endsWith("-01");
    Eventually.until("the server and client spans of the sampled parent's trace", Duration.ofSeconds(5), () ->
      spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).count() >= 2);
  }

  @Test
  void malformedTraceparentIsTreatedAsAbsent() {
    for (String bad : List.of("00-XYZ-b7ad6b7169203331-01", "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      "00-00000000000000000000000000000000-b7ad6b7169203331-01", "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01")) {
      String received = forwardedTraceparent(HttpRequest.newBuilder(kit.publicUri("/api/echo/bad")).header("traceparent", bad).GET().build());
      assertThat(received).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]").doesNotContain("b7ad6b7169203331");
    }
  }

  private static String forwardedTraceparent(HttpRequest request) {
    HttpResponse<String> response = JunctionTestKit.send(request);
    assertThat(response.statusCode()).isEqualTo(200);
    return new JsonObject(response.body()).getJsonObject("headers").getString("traceparent");
  }

  private static Set<String> serverTraces() {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.SERVER)
      .map(SpanData::getTraceId).collect(Collectors.toSet());
  }
}
