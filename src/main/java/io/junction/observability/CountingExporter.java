package io.junction.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.Collection;

/** Counts what reaches the collector: {@code junction_tracing_spans_exported_total{result=success|failure}}. */
final class CountingExporter implements SpanExporter {
  private final SpanExporter delegate;
  private final Counter success;
  private final Counter failure;

  CountingExporter(SpanExporter delegate, MeterRegistry meters) {
    this.delegate = delegate;
    this.success = counter(meters, "success");
    this.failure = counter(meters, "failure");
  }

  private static Counter counter(MeterRegistry meters, String result) {
    return Counter.builder("junction.tracing.spans.exported")
      .description("Spans handed to the OTLP exporter, by whether the collector took them")
      .tag("result", result).register(meters);
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    int n = spans.size();
    CompletableResultCode result = delegate.export(spans);
    result.whenComplete(() -> (result.isSuccess() ? success : failure).increment(n));
    return result;
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }
}
