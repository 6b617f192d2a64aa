package io.junction.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;

/**
 * Reads the batch span processor's own counters (OpenTelemetry SDK metrics, not exported anywhere) so that
 * Prometheus sees how many finished spans were dropped because the queue was full, and how many wait in it.
 * Collected only when /metrics is scraped.
 */
final class SpanExportMeters implements MetricReader {
  private static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");
  private volatile CollectionRegistration registration = CollectionRegistration.noop();

  @Override
  public void register(CollectionRegistration registration) {
    this.registration = registration;
  }

  /** Spans the processor dropped (queue full) since start. */
  double dropped() {
    double sum = 0;
    for (MetricData metric : registration.collectAllMetrics()) {
      if (metric.getName().equals("processedSpans")) {
        for (LongPointData point : metric.getLongSumData().getPoints()) {
          if (Boolean.TRUE.equals(point.getAttributes().get(DROPPED))) {
            sum += point.getValue();
          }
        }
      }
    }
    return sum;
  }

  /** Spans in the queue at the last collection. */
  double queued() {
    for (MetricData metric : registration.collectAllMetrics()) {
      if (metric.getName().equals("queueSize")) {
        for (LongPointData point : metric.getLongGaugeData().getPoints()) {
          return point.getValue();
        }
        for (DoublePointData point : metric.getDoubleGaugeData().getPoints()) {
          return point.getValue();
        }
      }
    }
    return 0;
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public CompletableResultCode forceFlush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    registration = CollectionRegistration.noop();
    return CompletableResultCode.ofSuccess();
  }
}
