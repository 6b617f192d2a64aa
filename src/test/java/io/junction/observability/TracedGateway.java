package io.junction.observability;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A Junction tracing into an in-memory exporter (no OTLP export), with one route {@code api} (/api/** → an
 * upstream, StripPrefix=1), for a test class: the subclass starts it at the sample ratio it needs in its own
 * {@code @BeforeAll}; spans are cleared before each test. Test classes run one after another.
 */
abstract class TracedGateway {
  static TestUpstream upstream;
  static JunctionTestKit kit;
  /** Made anew per class: closing a Junction shuts its span processor's exporter down. */
  static InMemorySpanExporter spans;

  static void startTracing(double ratio) throws Exception {
    spans = InMemorySpanExporter.create();
    upstream = new TestUpstream();
    kit = JunctionTestKit.builder()
      .env("JUNCTION_TRACING_ENABLED", "true")
      .env("JUNCTION_TRACING_EXPORTER", "none")
      .env("JUNCTION_TRACING_SAMPLERATIO", String.valueOf(ratio))
      .yaml("""
        gateway:
          routes:
            - id: api
              uri: %s
              predicates: [ "Path=/api/**" ]
              filters: [ "StripPrefix=1" ]
        """.formatted(upstream.url())).start();
    kit.junction().tracing().addSpanProcessor(SimpleSpanProcessor.create(spans));
  }

  @AfterAll
  static void stopTracing() throws Exception {
    if (kit != null) {
      kit.close();
    }
    upstream.close();
  }

  @BeforeEach
  void clearSpans() {
    spans.reset();
  }
}
