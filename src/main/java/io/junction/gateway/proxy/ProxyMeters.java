package io.junction.gateway.proxy;

import io.junction.gateway.route.Route;
import io.junction.gateway.upstream.Instance;
import io.junction.gateway.upstream.Service;
import io.junction.observability.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The gateway's meters. Tags are bounded by the configuration, never by traffic: route ids, service names and
 * instance URLs come from config, methods outside a fixed list are {@code other}, statuses are classes. Paths
 * are never tags. Timers are looked up in a per-route array (no tag lists built per request) and registered on
 * first use, so a route shows only the combinations it has served.
 *
 * <ul>
 *   <li>{@code junction_gateway_requests_seconds{route, method, status_class, outcome}} — histogram, whole request</li>
 *   <li>{@code junction_gateway_upstream_seconds{route, service, instance}} — histogram, one upstream call</li>
 *   <li>{@code junction_gateway_requests_active} — gateway requests in flight</li>
 *   <li>{@code junction_gateway_relayed_total} — gateway requests the direct relay served (the others: the Vert.x proxy)</li>
 *   <li>{@code junction_gateway_routes} — routes of the current configuration</li>
 *   <li>{@code junction_gateway_upstream_healthy{service, instance}} — 1 when the instance may be picked</li>
 * </ul>
 */
public final class ProxyMeters {
  static final String REQUESTS = "junction.gateway.requests";
  static final String UPSTREAM = "junction.gateway.upstream";
  static final String ACTIVE = "junction.gateway.requests.active";
  static final String RELAYED = "junction.gateway.relayed";
  static final String ROUTES = "junction.gateway.routes";
  static final String HEALTHY = "junction.gateway.upstream.healthy";

  /** Fixed buckets: enough around 1 ms–1 s for p50/p95/p99 via histogram_quantile, few series per combination. */
  static final Duration[] BUCKETS = {
    ms(1), ms(2.5), ms(5), ms(10), ms(25), ms(50), ms(100), ms(250), ms(500),
    ms(1000), ms(2500), ms(5000), ms(10000), ms(30000)};

  private static final HttpMethod[] METHODS = {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT,
    HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS};
  private static final String[] METHOD_TAGS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "other"};
  private static final String[] STATUS_TAGS = {"1xx", "2xx", "3xx", "4xx", "5xx"};

  /** How a gateway request ended (the {@code outcome} tag). */
  public enum Outcome {
    /** below 400 */
    SUCCESS("success"),
    /** 4xx, from the upstream or a filter (401, 403, 429, ...) */
    CLIENT_ERROR("client_error"),
    /** 5xx answered by the upstream, or by the gateway for a reason other than the two below */
    SERVER_ERROR("server_error"),
    /** no usable upstream response: connection refused or broken, or a status a Retry/CircuitBreaker gave up on */
    UPSTREAM_ERROR("upstream_error"),
    /** the upstream did not answer within the response timeout (504) */
    TIMEOUT("timeout"),
    /** the client went away before the response was complete */
    ABORTED("aborted");

    final String tag;

    Outcome(String tag) {
      this.tag = tag;
    }
  }

  private static final Outcome[] OUTCOMES = Outcome.values();
  private static final int SLOTS = METHOD_TAGS.length * STATUS_TAGS.length * OUTCOMES.length;

  private final MeterRegistry registry;
  private final Map<String, RouteMeters> routes = new ConcurrentHashMap<>();
  private final LongAdder active = new LongAdder();
  private final Counter relayed;
  private final MultiGauge healthy;

  public ProxyMeters(MeterRegistry registry, Supplier<GatewaySnapshot> snapshot) {
    this.registry = registry;
    Gauge.builder(ACTIVE, active, LongAdder::sum).description("Gateway requests in flight").register(registry);
    relayed = Counter.builder(RELAYED).description("Gateway requests served by the direct relay (the others by the Vert.x proxy)")
      .register(registry);
    Gauge.builder(ROUTES, snapshot, s -> {
      GatewaySnapshot current = s.get();
      return current == null ? 0 : current.table().routes().size();
    }).strongReference(true).description("Routes of the configuration being served").register(registry);
    healthy = MultiGauge.builder(HEALTHY)
      .description("1 when the upstream instance may be picked (active health check passing, not passively ejected), else 0")
      .register(registry);
    Metrics.beforeScrape(registry, () -> refreshHealth(snapshot.get()));
  }

  private void refreshHealth(GatewaySnapshot current) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    if (current != null && current.upstreams() instanceof RouteUpstreams ru && ru.services() instanceof RegistryServices rs) {
      for (Service service : rs.registry().services()) {
        for (Instance instance : service.instances()) {
          rows.add(MultiGauge.Row.of(Tags.of("service", service.name(), "instance", instance.id()), instance.available() ? 1 : 0));
        }
      }
    }
    healthy.register(rows, true);
  }

  /** Starts timing a matched gateway request; the returned timer is ended exactly once. */
  RouteMeters route(Route route) {
    RouteMeters meters = routes.get(route.id());
    return meters != null ? meters : routes.computeIfAbsent(route.id(), id -> new RouteMeters(route));
  }

  void begin() {
    active.increment();
  }

  void end() {
    active.decrement();
  }

  /** One more request served by the direct relay. */
  void relayed() {
    relayed.increment();
  }

  /** The meters of one route id; kept across reloads (a route id keeps its series). */
  final class RouteMeters {
    private final String routeId;
    private final String service;
    private final AtomicReferenceArray<Timer> requests = new AtomicReferenceArray<>(SLOTS);
    private final Map<String, Timer> upstreams = new ConcurrentHashMap<>();

    private RouteMeters(Route route) {
      this.routeId = route.id();
      this.service = route.serviceName() == null ? "none" : route.serviceName();
    }

    void request(HttpMethod method, int status, Outcome outcome, long nanos) {
      int m = methodIndex(method);
      int s = Math.min(Math.max(status / 100, 1), 5) - 1;
      int slot = (m * STATUS_TAGS.length + s) * OUTCOMES.length + outcome.ordinal();
      Timer timer = requests.get(slot);
      if (timer == null) {
        timer = Timer.builder(REQUESTS)
          .description("Gateway requests, from the request line to the end of the response")
          .tags("route", routeId, "method", METHOD_TAGS[m], "status_class", STATUS_TAGS[s], "outcome", outcome.tag)
          .serviceLevelObjectives(BUCKETS)
          .register(registry);
        requests.set(slot, timer);
      }
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One upstream call to target (a load-balanced instance, or the route's fixed URI). */
    void upstream(Target target, long nanos) {
      String key = target.lease() instanceof Instance i ? i.id() : "";
      Timer timer = upstreams.get(key);
      if (timer == null) {
        timer = upstreams.computeIfAbsent(key, k -> Timer.builder(UPSTREAM)
          .description("Upstream calls, from sending the request to the end of the relayed response")
          .tags("route", routeId, "service", service, "instance", k.isEmpty() ? target.authority() : k)
          .serviceLevelObjectives(BUCKETS)
          .register(registry));
      }
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  private static int methodIndex(HttpMethod method) {
    for (int i = 0; i < METHODS.length; i++) {
      if (METHODS[i] == method) {
        return i;
      }
    }
    for (int i = 0; i < METHODS.length; i++) {
      if (METHODS[i].equals(method)) {
        return i;
      }
    }
    return METHOD_TAGS.length - 1;
  }

  private static Duration ms(double millis) {
    return Duration.ofNanos((long) (millis * 1_000_000));
  }
}
