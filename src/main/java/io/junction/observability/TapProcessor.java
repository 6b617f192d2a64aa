package io.junction.observability;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Processors added after the SDK was built ({@link Tracing#addSpanProcessor}); empty, it costs one list read. */
final class TapProcessor implements SpanProcessor {
  private final List<SpanProcessor> processors = new CopyOnWriteArrayList<>();

  void add(SpanProcessor processor) {
    processors.add(processor);
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    for (SpanProcessor p : processors) {
      if (p.isStartRequired()) {
        p.onStart(parentContext, span);
      }
    }
  }

  @Override
  public boolean isStartRequired() {
    return true;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    for (SpanProcessor p : processors) {
      if (p.isEndRequired()) {
        p.onEnd(span);
      }
    }
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  @Override
  public CompletableResultCode shutdown() {
    List<CompletableResultCode> results = new ArrayList<>();
    processors.forEach(p -> results.add(p.shutdown()));
    return CompletableResultCode.ofAll(results);
  }

  @Override
  public CompletableResultCode forceFlush() {
    List<CompletableResultCode> results = new ArrayList<>();
    processors.forEach(p -> results.add(p.forceFlush()));
    return CompletableResultCode.ofAll(results);
  }
}
