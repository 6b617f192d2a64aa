package io.junction.observability;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Tracing.of(vertx) and Tracing.startInTrace: spans made later in a stored trace (the outbox relay's Kafka sends). */
class TracingInTraceTest {
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void offMakesNothingAndAVertxWithoutTracerIsOff() throws Exception {
    assertThat(Tracing.off().startInTrace(TRACE_ID, "send x", SpanKind.PRODUCER)).isNull();
    Vertx vertx = Vertx.vertx();
    try {
      assertThat(Tracing.of(vertx).enabled()).isFalse();
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void theVertxTracerLeadsBackToItsTracing() throws Exception {
    try (Tracing tracing = tracing(1.0)) {
      Vertx vertx = Vertx.builder().withTracer(tracing.tracerFactory()).build();
      try {
        assertThat(Tracing.of(vertx)).isSameAs(tracing);
      } finally {
        vertx.close().await(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void spanContinuesTheTraceIdUnderARemoteParent() {
    try (Tracing tracing = tracing(1.0)) {
      InMemorySpanExporter spans = InMemorySpanExporter.create();
      tracing.addSpanProcessor(SimpleSpanProcessor.create(spans));
      Span span = tracing.startInTrace(TRACE_ID, "send junction.route", SpanKind.PRODUCER);
      assertThat(span.isRecording()).isTrue();
      span.end();
      SpanData data = spans.getFinishedSpanItems().get(0);
      assertThat(data.getTraceId()).isEqualTo(TRACE_ID);
      assertThat(data.getKind()).isEqualTo(SpanKind.PRODUCER);
      assertThat(data.getParentSpanContext().isRemote()).isTrue();
      assertThat(data.getParentSpanContext().getTraceId()).isEqualTo(TRACE_ID);
      assertThat(data.getSpanContext().isSampled()).isTrue();
    }
  }

  @Test
  void unsampledTraceIdGivesANonRecordingSpanWithUnsampledFlags() {
    try (Tracing tracing = tracing(0.0)) {
      Span span = tracing.startInTrace(TRACE_ID, "send junction.route", SpanKind.PRODUCER);
      assertThat(span.isRecording()).isFalse();
      assertThat(span.getSpanContext().getTraceId()).isEqualTo(TRACE_ID);
      assertThat(span.getSpanContext().getTraceFlags().asHex()).isEqualTo("00");
      span.end();
    }
  }

  @Test
  void invalidTraceIdsMakeNoSpan() {
    try (Tracing tracing = tracing(1.0)) {
      assertThat(tracing.startInTrace(null, "x", SpanKind.PRODUCER)).isNull();
      assertThat(tracing.startInTrace("0".repeat(32), "x", SpanKind.PRODUCER)).isNull();
      assertThat(tracing.startInTrace("not-a-trace-id", "x", SpanKind.PRODUCER)).isNull();
      assertThat(tracing.startInTrace(TRACE_ID.toUpperCase(), "x", SpanKind.PRODUCER)).isNull();
    }
  }

  private static Tracing tracing(double ratio) {
    return Tracing.create(new JsonObject().put("enabled", true).put("exporter", "none").put("sampleRatio", ratio),
      new SimpleMeterRegistry());
  }
}
