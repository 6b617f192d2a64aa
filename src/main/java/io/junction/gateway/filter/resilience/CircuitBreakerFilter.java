package io.junction.gateway.filter.resilience;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.Forwarder;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.UpstreamStatusException;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code CircuitBreaker=users}: stops calling an upstream that keeps failing, as Spring Cloud Gateway's
 * CircuitBreaker, on a Vert.x {@link CircuitBreaker} (one per filter instance, so one per route).
 *
 * <p>Closed: calls pass. A failure is a chain failure (connect refused, the proxy's timeout, ...), an upstream
 * status in {@code statusCodes}, or no response head within {@code timeout}. {@code failureThreshold} failures
 * with no success between them (within {@code failureWindow}) open the circuit. Open: no call goes upstream;
 * the request is forwarded to {@code fallbackUri}, or answered 503 {@code unavailable}. After {@code openTime}
 * one trial call is let through (half-open): success closes the circuit, failure opens it again. A call counts
 * as done when its response head is ready, so a long streamed body does not hold the breaker.
 *
 * <p>Counted statuses: with a fallback, the proxy is told to discard such a response
 * ({@link Exchange#failOnStatus}) and the fallback answers instead. Without one the response reaches the client
 * unchanged and is only counted (Junction's choice: the upstream's own error body is more useful than ours).
 * Failures of other kinds go to the fallback when there is one, else propagate for the proxy to map (502/504);
 * a {@code timeout} without fallback is answered 504 here. Before forwarding, the failure is stored in the
 * exchange attribute {@link #EXECUTION_EXCEPTION}.
 *
 * <p>State is exported as the gauge {@code junction_gateway_circuit_state} (0 closed, 1 half-open, 2 open)
 * tagged {@code route}, reading the breaker that served the route most recently (so a config reload that
 * rebuilds the filter moves the gauge to the new breaker on the first request).
 */
public final class CircuitBreakerFilter implements GatewayFilter {
  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakerFilter.class);
  /** Exchange attribute holding the Throwable that sent the request to the fallback (Spring's name). */
  public static final String EXECUTION_EXCEPTION = "circuitBreakerExecutionException";
  static final String METRIC = "junction_gateway_circuit_state";
  private static final AtomicLong IDS = new AtomicLong();
  private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");

  private final String routeId;
  private final Vertx vertx;
  private final CircuitBreaker breaker;
  private final StatusSet statusCodes;
  private final String fallbackPath;
  private final Forwarder forwarder;
  private final long timeoutMillis;
  private final GaugeCell gauge;
  private final String attemptKey = CircuitBreakerFilter.class.getName() + ".attempt." + IDS.incrementAndGet();

  CircuitBreakerFilter(FilterContext context, String name, StatusSet statusCodes, String fallbackPath,
                       int failureThreshold, long openMillis, long failureWindowMillis, long timeoutMillis) {
    this.routeId = context.routeId();
    this.vertx = context.vertx();
    this.statusCodes = statusCodes;
    this.fallbackPath = fallbackPath;
    this.forwarder = context.forwarder();
    this.timeoutMillis = timeoutMillis;
    CircuitBreakerOptions options = new CircuitBreakerOptions()
      .setMaxFailures(failureThreshold)
      .setResetTimeout(openMillis)
      .setFailuresRollingWindow(failureWindowMillis)
      .setTimeout(-1) // our own timeout ends at the response head, not at the end of the body
      .setMaxRetries(0)
      .setFallbackOnFailure(false)
      .setNotificationAddress(null); // no event-bus metrics publishing: the gauge is enough
    this.breaker = CircuitBreaker.create(name, vertx, options);
    breaker.failurePolicy(this::countsAsFailure);
    this.gauge = GaugeCell.of(context.meters(), routeId);
    gauge.serve(breaker);
    breaker.openHandler(v -> LOG.warn("route {}: circuit '{}' opened", routeId, name));
    breaker.halfOpenHandler(v -> LOG.info("route {}: circuit '{}' half-open, trying one call", routeId, name));
    breaker.closeHandler(v -> LOG.info("route {}: circuit '{}' closed", routeId, name));
  }

  CircuitBreakerState state() {
    return breaker.state();
  }

  @Override
  public Future<Void> filter(Exchange ex, FilterChain chain) {
    gauge.serve(breaker);
    IntPredicate outer = ex.failOnStatus();
    if (fallbackPath != null) {
      ex.failOnStatus(StatusSet.or(outer, statusCodes.isEmpty() ? null : statusCodes));
    }
    Attempt attempt = new Attempt(ex);
    Future<Void> guarded = breaker.execute(() -> attempt.start(chain));
    return guarded.transform(ar -> {
      ex.failOnStatus(outer);
      if (ar.succeeded() || ar.cause() instanceof CountedStatus) {
        return attempt.downstream; // the response goes (or went) to the client
      }
      return failed(ex, attempt, ar.cause());
    });
  }

  private Future<Void> failed(Exchange ex, Attempt attempt, Throwable cause) {
    if (cause instanceof OpenCircuitException) {
      return fallbackPath != null ? forward(ex, cause)
        : ex.error(503, "unavailable", "circuit open for route " + routeId);
    }
    if (ex.committed()) {
      return attempt.downstream != null ? attempt.downstream : Future.failedFuture(cause);
    }
    if (cause instanceof UpstreamStatusException status && !statusCodes.test(status.status())) {
      return Future.failedFuture(cause); // an outer filter asked for this status: its business
    }
    if (cause instanceof HeadTimeout) {
      ex.failOnStatus(s -> true); // the late upstream response must never be written
      return fallbackPath != null ? forward(ex, cause)
        : ex.error(504, "upstream_timeout", "no response from route " + routeId + " upstream within " + timeoutMillis + " ms");
    }
    return fallbackPath != null ? forward(ex, cause) : Future.failedFuture(cause);
  }

  private Future<Void> forward(Exchange ex, Throwable cause) {
    ex.attributes().put(EXECUTION_EXCEPTION, cause);
    return forwarder.forward(ex, expand(fallbackPath, ex.variables()));
  }

  /** {@code forward:/fallback/{segment}} takes the Path predicate's variables, as Spring does. */
  static String expand(String path, Map<String, String> variables) {
    if (path.indexOf('{') < 0) {
      return path;
    }
    Matcher m = VARIABLE.matcher(path);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = variables == null ? null : variables.get(m.group(1));
      m.appendReplacement(sb, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private boolean countsAsFailure(Future<Void> outcome) {
    if (outcome.succeeded()) {
      return false;
    }
    // a status an outer filter (Retry) asked to fail on says nothing about this breaker's upstream health
    return !(outcome.cause() instanceof UpstreamStatusException status) || statusCodes.test(status.status());
  }

  /**
   * One call through the breaker. Done when the response head is about to be written (seen by a beforeResponse
   * hook registered once per exchange), or when the chain ends first (a failure), or at the timeout.
   */
  private final class Attempt {
    private final Exchange ex;
    private final Promise<Void> done = Promise.promise();
    private Future<Void> downstream;
    private long timer = -1;

    Attempt(Exchange ex) {
      this.ex = ex;
    }

    Future<Void> start(FilterChain chain) {
      boolean firstTime = ex.attributes().put(attemptKey, this) == null;
      if (firstTime) {
        ex.beforeResponse(e -> {
          if (e.attributes().get(attemptKey) instanceof Attempt current) {
            current.head(e.responseStatus());
          }
        });
      }
      if (timeoutMillis > 0) {
        timer = vertx.setTimer(timeoutMillis, id -> {
          if (!ex.committed()) {
            done.tryFail(new HeadTimeout(timeoutMillis));
          }
        });
      }
      try {
        downstream = chain.next(ex);
      } catch (RuntimeException e) {
        downstream = Future.failedFuture(e);
      }
      downstream.onComplete(ar -> {
        cancelTimer();
        if (ar.succeeded()) {
          head(ex.responseStatus()); // no-op when the hook ran; covers a chain that answered without it
        } else {
          done.tryFail(ar.cause());
        }
      });
      return done.future();
    }

    void head(int status) {
      cancelTimer();
      if (fallbackPath == null && statusCodes.test(status)) {
        done.tryFail(new CountedStatus(status));
      } else {
        done.tryComplete();
      }
    }

    private void cancelTimer() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }

  /** A counted status that went to the client anyway (no fallback): a failure for the breaker only. */
  static final class CountedStatus extends RuntimeException {
    CountedStatus(int status) {
      super("upstream answered " + status, null, false, false);
    }
  }

  /** No response head within the configured timeout. */
  static final class HeadTimeout extends RuntimeException {
    HeadTimeout(long millis) {
      super("no response within " + millis + " ms", null, false, false);
    }
  }

  /**
   * The gauge value of one route: reads the breaker that served the route last. One per (registry, route), so
   * rebuilt filters of a route share the registered gauge instead of leaving it on a discarded breaker.
   */
  static final class GaugeCell {
    private static final Map<MeterRegistry, Map<String, GaugeCell>> CELLS = new WeakHashMap<>();
    private volatile CircuitBreaker current;

    static GaugeCell of(MeterRegistry meters, String routeId) {
      synchronized (CELLS) {
        return CELLS.computeIfAbsent(meters, m -> new ConcurrentHashMap<>()).computeIfAbsent(routeId, id -> {
          GaugeCell cell = new GaugeCell();
          Gauge.builder(METRIC, cell, GaugeCell::value).strongReference(true)
            .description("Circuit breaker state: 0 closed, 1 half-open, 2 open").tag("route", id).register(meters);
          return cell;
        });
      }
    }

    void serve(CircuitBreaker breaker) {
      if (current != breaker) {
        current = breaker;
      }
    }

    double value() {
      CircuitBreaker b = current;
      if (b == null) {
        return 0;
      }
      return switch (b.state()) {
        case CLOSED -> 0;
        case HALF_OPEN -> 1;
        case OPEN -> 2;
      };
    }
  }

  @Override
  public String toString() {
    return "CircuitBreaker " + breaker.name() + (fallbackPath == null ? "" : " -> forward:" + fallbackPath);
  }

  /**
   * Builds {@link CircuitBreakerFilter}. Shortcut: {@code CircuitBreaker=name}. Args: name (default the route
   * id), fallbackUri ({@code forward:/path}), statusCodes, failureThreshold (5), openTime (30s), failureWindow
   * (60s), timeout (none).
   */
  public static final class Factory implements FilterFactory {
    @Override
    public String name() {
      return "CircuitBreaker";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("name", "fallbackUri");
    }

    @Override
    public List<String> argNames() {
      return List.of("name", "fallbackUri", "statusCodes", "failureThreshold", "openTime", "failureWindow", "timeout");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      String name = args.optionalString("name");
      String fallbackUri = args.optionalString("fallbackUri");
      String fallbackPath = null;
      if (fallbackUri != null) {
        if (!fallbackUri.startsWith("forward:")) {
          throw args.bad("fallbackUri", "'" + fallbackUri + "' is not supported: only forward:/path is");
        }
        fallbackPath = fallbackUri.substring("forward:".length()).trim();
        if (!fallbackPath.startsWith("/") || fallbackPath.contains("?") || fallbackPath.contains("#")) {
          throw args.bad("fallbackUri", "'" + fallbackUri + "' must be forward: and an absolute path without query, e.g. forward:/fallback");
        }
        if (context.forwarder() == null) {
          throw args.bad("fallbackUri", "forwarding is not available here");
        }
      }
      List<String> codes = ArgValues.list("statusCodes", args.values().get("statusCodes"));
      StatusSet statusCodes = StatusSet.of("statusCodes", codes == null ? List.of() : codes, "statusCodes", List.of());
      int threshold = ArgValues.integer("failureThreshold", args.values().get("failureThreshold"), 5);
      if (threshold < 1) {
        throw args.bad("failureThreshold", "must be at least 1, not " + threshold);
      }
      long openMs = millis("openTime", args.values().get("openTime"), Duration.ofSeconds(30), 1);
      long windowMs = millis("failureWindow", args.values().get("failureWindow"), Duration.ofSeconds(60), 1000);
      long timeoutMs = millis("timeout", args.values().get("timeout"), Duration.ZERO, 1);
      return new CircuitBreakerFilter(context, name == null ? context.routeId() : name, statusCodes, fallbackPath,
        threshold, openMs, windowMs, timeoutMs);
    }

    private static long millis(String label, Object value, Duration fallback, long min) throws DefinitionException {
      Duration d = ArgValues.duration(label, value);
      if (d == null) {
        return fallback.toMillis();
      }
      if (d.toMillis() < min) {
        throw ArgValues.bad(label, "must be at least " + min + " ms, not '" + value + "'");
      }
      return d.toMillis();
    }
  }
}
