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
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
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
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.VertxTracerFactory;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.WeakHashMap;
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
  private static final Tracing OFF = new Tracing(null, null, null, null, null, null);
  /** The Tracing behind each Vert.x tracer made by {@link #tracerFactory()}, for {@link #of(Vertx)}. */
  private static final Map<VertxTracer<?, ?>, Tracing> BY_TRACER = Collections.synchronizedMap(new WeakHashMap<>());

  private final OpenTelemetrySdk sdk;
  private final SdkMeterProvider selfMeters;
  private final TapProcessor tap;
  private final String instanceId;
  private final Sampler newTraces;
  private final Tracer tracer;
  private final SamplingTracer.ChosenIds ids;

  private Tracing(OpenTelemetrySdk sdk, SdkMeterProvider selfMeters, TapProcessor tap, String instanceId, Sampler newTraces,
                  SamplingTracer.ChosenIds ids) {
    this.sdk = sdk;
    this.selfMeters = selfMeters;
    this.tap = tap;
    this.instanceId = instanceId;
    this.newTraces = newTraces;
    this.tracer = sdk == null ? null : sdk.getTracer("io.junction", version());
    this.ids = ids;
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
    Sampler newTraces = Sampler.traceIdRatioBased(ratio);
    SamplingTracer.ChosenIds ids = new SamplingTracer.ChosenIds();
    var tracerProvider = SdkTracerProvider.builder()
      .setResource(resource)
      .setIdGenerator(ids)
      .setSampler(Sampler.parentBased(newTraces))
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
    return new Tracing(sdk, selfMeters, tap, instanceId, newTraces, ids);
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
    return new OpenTelemetryTracingFactory(sdk) {
      @Override
      public VertxTracer<?, ?> tracer(TracingOptions options) {
        VertxTracer<?, ?> made = new SamplingTracer(super.tracer(options), newTraces, ids);
        BY_TRACER.put(made, Tracing.this);
        return made;
      }
    };
  }

  /**
   * The Tracing a Vert.x traces with (installed from {@link #tracerFactory()}), or the off one: for code that has
   * only the Vert.x and makes spans of its own (the outbox relay's Kafka sends).
   */
  public static Tracing of(Vertx vertx) {
    VertxTracer<?, ?> installed = vertx instanceof VertxInternal v ? v.tracer() : null;
    return installed == null ? OFF : BY_TRACER.getOrDefault(installed, OFF);
  }

  /**
   * Starts a span of trace {@code traceId} (32 lowercase hex) outside any request: work done later on behalf of a
   * request whose trace id was stored, not its span (an outbox event relayed to Kafka). Its parent is a remote span
   * context with that trace id and a span id nobody recorded, so the span joins the trace without a known parent.
   * Sampled when the ratio sampler keeps that trace id, which is exactly the decision it made when Junction
   * started the trace (the ratio sampler decides on the trace id alone). Null when off or the trace id is invalid;
   * the caller ends the span.
   */
  public Span startInTrace(String traceId, String name, SpanKind kind) {
    if (sdk == null || traceId == null || !TraceId.isValid(traceId)) {
      return null;
    }
    boolean sampled = newTraces.shouldSample(Context.root(), traceId, name, kind, Attributes.empty(), List.of())
      .getDecision() == SamplingDecision.RECORD_AND_SAMPLE;
    SpanContext parent = SpanContext.createFromRemoteParent(traceId, Traceparent.newSpanId(),
      sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
    return tracer.spanBuilder(name).setSpanKind(kind).setParent(Context.root().with(Span.wrap(parent))).startSpan();
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

  /**
   * The trace id of the request on the calling thread's context when tracing is on but that request is not
   * recorded (sampled out), else null.
   */
  public static String unsampledTraceId() {
    return SamplingTracer.unsampledTraceId();
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
