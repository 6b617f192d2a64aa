package io.junction.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One Prometheus registry per Junction instance: Vert.x's own meters (HTTP server/client, event bus, pools),
 * JVM and process meters, and every module's meters. Scraped at GET /metrics on the admin listener.
 */
public final class Metrics implements AutoCloseable {
  /** Per registry: work to do just before a scrape (meters whose set of series follows live state). */
  private static final Map<MeterRegistry, List<Runnable>> BEFORE_SCRAPE = new ConcurrentHashMap<>();
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public Metrics() {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Prometheus text exposition of every meter. */
  public String scrape() {
    for (Runnable hook : BEFORE_SCRAPE.getOrDefault(registry, List.of())) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(Metrics.class).warn("metrics: a scrape hook failed: {}", e.toString());
      }
    }
    return registry.scrape();
  }

  /**
   * Runs {@code hook} before each scrape of {@code registry}: for multi-gauges whose rows follow live state
   * (upstream instances of the current config), refreshed only when someone looks.
   */
  public static void beforeScrape(MeterRegistry registry, Runnable hook) {
    BEFORE_SCRAPE.computeIfAbsent(registry, r -> new CopyOnWriteArrayList<>()).add(hook);
  }

  /** Wires Vert.x's metrics SPI to this registry. Paths are never tags: they would make series unbounded. */
  public void configure(VertxOptions options) {
    options.setMetricsOptions(new MicrometerMetricsOptions()
      .setEnabled(true)
      .setMeterCacheEnabled(true) // per-request meter lookups (Meter.Id.equals, Tags.and) were a hot spot
      .setJvmMetricsEnabled(false) // bound above, once
      .addDisabledMetricsCategory(MetricsDomain.NAMED_POOLS));
  }

  /** @param gatewayPort the public listener's port: its requests are measured by the gateway, not again by Vert.x */
  public VertxMetricsFactory factory(int gatewayPort) {
    MicrometerMetricsFactory micrometer = new MicrometerMetricsFactory(registry);
    return new VertxMetricsFactory() {
      @Override
      public VertxMetrics metrics(VertxOptions options) {
        return new GatewayVertxMetrics(micrometer.metrics(options), gatewayPort);
      }

      @Override
      public MetricsOptions newOptions() {
        return micrometer.newOptions();
      }

      @Override
      public MetricsOptions newOptions(MetricsOptions options) {
        return micrometer.newOptions(options);
      }

      @Override
      public MetricsOptions newOptions(JsonObject json) {
        return micrometer.newOptions(json);
      }
    };
  }

  @Override
  public void close() {
    BEFORE_SCRAPE.remove(registry);
    gc.close();
    registry.close();
  }
}
