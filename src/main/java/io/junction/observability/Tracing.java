package io.junction.observability;

import io.junction.config.Durations;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.VertxTracerFactory;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK of one Junction, built from {@code tracing.*}: W3C trace context, a parent-based ratio
 * sampler, a bounded batch queue in front of an OTLP exporter (or none), and the resource {@code service.name=junction},
 * {@code service.version}, {@code service.instance.id}. Vert.x gets it through {@link #tracerFactory()} and then
 * makes the spans itself (HTTP server and client, event bus, SQL client).
 *
 * <p>Off (the default) builds nothing: no tracer is installed, so Vert.x does no tracing work at all.
 */
public final class Tracing implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
  private static final Tracing OFF = new Tracing(null, null, null, null);

  private final OpenTelemetrySdk sdk;
  private final SdkMeterProvider selfMeters;
  private final TapProcessor tap;
  private final String instanceId;

  private Tracing(OpenTelemetrySdk sdk, SdkMeterProvider selfMeters, TapProcessor tap, String instanceId) {
    this.sdk = sdk;
    this.selfMeters = selfMeters;
    this.tap = tap;
    this.instanceId = instanceId;
  }

  public static Tracing off() {
    return OFF;
  }

  /**
   * @param config the {@code tracing} section (null or {@code enabled: false} = off)
   * @param meters where the export queue's drops, exports and failures are counted
   */
  public static Tracing create(JsonObject config, MeterRegistry meters) {
    if (config == null || !config.getBoolean("enabled", false)) {
      return OFF;
    }
    String exporterName = config.getString("exporter", "otlp-http");
    String endpoint = config.getString("endpoint", "");
    Object sampleRatio = config.getValue("sampleRatio", 1.0);
    double ratio = sampleRatio instanceof Number n ? n.doubleValue() : Double.parseDouble(sampleRatio.toString());
    int queueSize = config.getInteger("queueSize", 2048);
    Duration timeout = Durations.parse(config.getValue("exportTimeout", "10s"));

    String instanceId = UUID.randomUUID().toString();
    Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
      AttributeKey.stringKey("service.name"), "junction",
      AttributeKey.stringKey("service.version"), version(),
      AttributeKey.stringKey("service.instance.id"), instanceId)));

    SpanExportMeters counts = new SpanExportMeters();
    SdkMeterProvider selfMeters = SdkMeterProvider.builder().registerMetricReader(counts).build();
    SpanExporter exporter = exporter(exporterName, endpoint, timeout);
    TapProcessor tap = new TapProcessor();
    var tracerProvider = SdkTracerProvider.builder()
      .setResource(resource)
      .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(ratio)))
      .addSpanProcessor(tap);
    if (exporter != null) {
      tracerProvider.addSpanProcessor(BatchSpanProcessor.builder(new CountingExporter(exporter, meters))
        .setMaxQueueSize(queueSize)
        .setMaxExportBatchSize(Math.min(512, queueSize))
        .setScheduleDelay(Duration.ofSeconds(1))
        .setExporterTimeout(timeout)
        .setMeterProvider(selfMeters)
        .build());
    }
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
      .setTracerProvider(tracerProvider.build())
      .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
      .build();

    FunctionCounter.builder("junction.tracing.spans.dropped", counts, SpanExportMeters::dropped)
      .description("Finished spans dropped because the export queue was full (the collector is down or slow)")
      .register(meters);
    Gauge.builder("junction.tracing.queue.size", counts, SpanExportMeters::queued)
      .description("Finished spans waiting in the export queue").register(meters);
    LOG.info("tracing on: exporter {}{}, sample ratio {}, queue {}, instance {}", exporterName,
      endpoint.isBlank() ? "" : " → " + endpoint, ratio, queueSize, instanceId);
    return new Tracing(sdk, selfMeters, tap, instanceId);
  }

  private static SpanExporter exporter(String name, String endpoint, Duration timeout) {
    return switch (name) {
      case "none" -> null;
      case "otlp-http" -> {
        var b = OtlpHttpSpanExporter.builder().setTimeout(timeout);
        if (!endpoint.isBlank()) {
          b.setEndpoint(endpoint);
        }
        yield b.build();
      }
      default -> throw new IllegalArgumentException("tracing.exporter: unknown exporter '" + name + "'");
    };
  }

  private static String version() {
    String v = Tracing.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  public boolean enabled() {
    return sdk != null;
  }

  /** What {@code Vertx.builder().withTracer(...)} takes; only when {@link #enabled()}. */
  public VertxTracerFactory tracerFactory() {
    if (sdk == null) {
      throw new IllegalStateException("tracing is off");
    }
    return new OpenTelemetryTracingFactory(sdk);
  }

  public OpenTelemetry openTelemetry() {
    return sdk == null ? OpenTelemetry.noop() : sdk;
  }

  /** {@code service.instance.id} of this process's spans, or null when off. */
  public String instanceId() {
    return instanceId;
  }

  /**
   * Sends every finished span to one more processor as well (embedding, debugging, tests with an in-memory
   * exporter). Spans that ended before the call are not replayed.
   */
  public void addSpanProcessor(SpanProcessor processor) {
    if (tap == null) {
      throw new IllegalStateException("tracing is off");
    }
    tap.add(processor);
  }

  /**
   * The span of the request being handled when Vert.x traces it (tracing on, and the calling thread runs a
   * traced request's context), else null. Off, this is one context lookup.
   */
  public static SpanContext currentSpan() {
    ContextInternal ctx = ContextInternal.current();
    if (ctx == null || ctx.tracer() == null) {
      return null;
    }
    SpanContext span = Span.current().getSpanContext();
    return span.isValid() ? span : null;
  }

  /** Whether the calling thread runs a context of a Vert.x that traces (then Vert.x injects traceparent itself). */
  public static boolean active() {
    ContextInternal ctx = ContextInternal.current();
    return ctx != null && ctx.tracer() != null;
  }

  /** Exports what is queued (bounded), then stops the SDK. */
  @Override
  public void close() {
    if (sdk != null) {
      sdk.shutdown().join(5, TimeUnit.SECONDS);
      selfMeters.shutdown().join(1, TimeUnit.SECONDS);
    }
  }
}
