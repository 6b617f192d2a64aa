package io.junction.gateway.filter.resilience;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.UpstreamStatusException;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.IntPredicate;

/**
 * {@code Retry=3, BAD_GATEWAY, GET, 10ms, 50ms, 2, false}: sends the request again when the upstream answers
 * with a retryable status or the call fails with a retryable exception, as Spring Cloud Gateway's Retry.
 *
 * <p>How: before every attempt but the last, the exchange is told to fail on the retryable statuses
 * ({@link Exchange#failOnStatus}), so the proxy discards such a response and fails the chain with
 * {@link UpstreamStatusException} while nothing has reached the client. The last attempt restores whatever
 * an outer filter had set (null when none), so its response reaches the client as it is. A failure after the
 * response has started ({@link Exchange#committed}) is never retried.
 *
 * <p>Exceptions: by default {@link IOException} (connect refused, connection closed, the proxy's upstream
 * failures) and {@link TimeoutException}, found anywhere in the cause chain. A configured name that cannot be
 * loaded (Spring's {@code org.springframework...TimeoutException}) matches any class of the same simple name.
 *
 * <p>A request with a body is read into memory first ({@link Exchange#cacheRequestBody}) so every attempt can
 * send it: at most the RequestSize limit when one is set, else 1 MiB. A body announced larger than that is sent
 * once, without retries; an unannounced (chunked) body that grows past it is refused with 413.
 *
 * <p>Each attempt starts from the outgoing request as it was when Retry ran (method, path, query, headers,
 * host), so filters after Retry that add a header or strip a prefix do it once per attempt, not cumulatively.
 */
public final class RetryFilter implements GatewayFilter {
  private static final Logger LOG = LoggerFactory.getLogger(RetryFilter.class);
  static final long DEFAULT_MAX_CACHED_BODY = 1L << 20;
  static final String METRIC = "junction_gateway_retries_total";

  private final Vertx vertx;
  private final String routeId;
  private final int retries;
  private final StatusSet statuses;
  private final Set<String> methods;
  private final List<ExceptionRule> exceptions;
  private final Backoff backoff;
  private final Counter counter;

  RetryFilter(FilterContext context, int retries, StatusSet statuses, Set<String> methods,
              List<ExceptionRule> exceptions, Backoff backoff) {
    this.vertx = context.vertx();
    this.routeId = context.routeId();
    this.retries = retries;
    this.statuses = statuses;
    this.methods = Set.copyOf(methods);
    this.exceptions = List.copyOf(exceptions);
    this.backoff = backoff;
    this.counter = Counter.builder(METRIC).description("Upstream calls sent again by the Retry filter")
      .tag("route", context.routeId()).register(context.meters());
  }

  @Override
  public Future<Void> filter(Exchange ex, FilterChain chain) {
    if (!methods.contains(ex.method())) {
      return chain.next(ex);
    }
    IntPredicate outer = ex.failOnStatus();
    HttpServerRequest request = ex.request();
    if (!hasBody(request)) {
      return run(ex, chain, outer);
    }
    long limit = ex.maxRequestBodyBytes() >= 0 ? ex.maxRequestBodyBytes() : DEFAULT_MAX_CACHED_BODY;
    if (ex.maxRequestBodyBytes() < 0 && announcedLength(request) > limit) {
      return chain.next(ex); // too big to keep in memory: one attempt, streamed
    }
    return ex.cacheRequestBody(limit).transform(ar -> {
      if (ex.committed()) {
        return Future.succeededFuture(); // 413 or 400 answered while reading the body
      }
      if (ar.failed()) {
        return Future.failedFuture(ar.cause()); // the client went away
      }
      return run(ex, chain, outer);
    });
  }

  private Future<Void> run(Exchange ex, FilterChain chain, IntPredicate outer) {
    OutgoingRequest start = OutgoingRequest.of(ex);
    return attempt(ex, chain, outer, start, 0, 0).andThen(ar -> ex.failOnStatus(outer));
  }

  private Future<Void> attempt(Exchange ex, FilterChain chain, IntPredicate outer, OutgoingRequest start,
                               int n, long previousDelay) {
    boolean last = n >= retries;
    if (n > 0) {
      start.restore(ex);
    }
    ex.failOnStatus(last ? outer : StatusSet.or(outer, statuses));
    Future<Void> result;
    try {
      result = chain.next(ex);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    if (last) {
      return result;
    }
    return result.transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture();
      }
      Throwable cause = ar.cause();
      if (ex.committed() || !retryable(cause)) {
        return Future.failedFuture(cause);
      }
      long delay = backoff == null ? 0 : backoff.delayMillis(n, previousDelay);
      counter.increment();
      if (LOG.isDebugEnabled()) {
        LOG.debug("route {}: retry {}/{} in {} ms after {}", routeId, n + 1, retries, delay, describe(cause));
      }
      if (delay <= 0) {
        return attempt(ex, chain, outer, start, n + 1, delay);
      }
      Promise<Void> next = Promise.promise();
      vertx.setTimer(delay, id -> {
        if (ex.committed()) { // the client closed the connection while we waited
          next.fail(cause);
        } else {
          attempt(ex, chain, outer, start, n + 1, delay).onComplete(next);
        }
      });
      return next.future();
    });
  }

  private boolean retryable(Throwable cause) {
    if (cause instanceof UpstreamStatusException status) {
      return statuses.test(status.status()); // else an outer filter asked for it: not ours to retry
    }
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      for (ExceptionRule rule : exceptions) {
        if (rule.matches(t)) {
          return true;
        }
      }
    }
    return false;
  }

  private static String describe(Throwable cause) {
    return cause instanceof UpstreamStatusException s ? "status " + s.status() : cause.toString();
  }

  private static boolean hasBody(HttpServerRequest request) {
    if (request.isEnded()) {
      return false;
    }
    if (request.version() == HttpVersion.HTTP_2) {
      return true;
    }
    String length = request.getHeader("Content-Length");
    return (length != null && !length.trim().equals("0")) || request.headers().contains("Transfer-Encoding");
  }

  private static long announcedLength(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    try {
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1; // cacheRequestBody answers 400
    }
  }

  @Override
  public String toString() {
    return "Retry " + retries + "x on " + statuses + " " + methods + (backoff == null ? "" : " " + backoff);
  }

  /** Spring's backoff: firstBackoff * factor^n, or previous * factor, capped by maxBackoff, with optional jitter. */
  record Backoff(long firstMillis, long maxMillis, double factor, boolean basedOnPreviousValue, double jitter) {
    long delayMillis(int n, long previous) {
      double d = basedOnPreviousValue && n > 0 ? previous * factor : firstMillis * Math.pow(factor, n);
      if (maxMillis > 0) {
        d = Math.min(d, maxMillis);
      }
      if (jitter > 0) {
        d += d * jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        d = maxMillis > 0 ? Math.min(d, maxMillis) : d;
      }
      return Math.max(0, Math.round(Math.min(d, Long.MAX_VALUE / 2.0)));
    }
  }

  /** One configured exception: a loaded class (instanceof), or a simple class name matched in the hierarchy. */
  record ExceptionRule(Class<?> type, String simpleName) {
    static ExceptionRule of(String name) {
      try {
        return new ExceptionRule(Class.forName(name, false, RetryFilter.class.getClassLoader()), null);
      } catch (ClassNotFoundException | LinkageError e) {
        return new ExceptionRule(null, name.substring(name.lastIndexOf('.') + 1));
      }
    }

    boolean matches(Throwable t) {
      if (type != null) {
        return type.isInstance(t);
      }
      for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
        if (c.getSimpleName().equals(simpleName)) {
          return true;
        }
      }
      return false;
    }
  }

  /** The outgoing request as Retry found it; every later attempt starts from it again. */
  private record OutgoingRequest(String method, String path, String query, MultiMap headers,
                                 boolean preserveHost, String hostOverride, int hooks) {
    static OutgoingRequest of(Exchange ex) {
      return new OutgoingRequest(ex.method(), ex.path(), ex.encodedQuery(),
        MultiMap.caseInsensitiveMultiMap().addAll(ex.requestHeaders()), ex.preserveHost(), ex.hostOverride(), ex.hookMark());
    }

    void restore(Exchange ex) {
      ex.resetHooks(hooks); // response hooks of the discarded attempt must not touch the final response
      ex.setMethod(method);
      ex.setPath(path);
      ex.requestHeaders().clear().addAll(headers);
      ex.setPreserveHost(preserveHost);
      ex.setHostOverride(hostOverride);
      String now = ex.encodedQuery();
      if (!Objects.equals(now, query)) {
        var params = ex.query();
        for (String[] pair : pairs(now)) {
          params.remove(pair[0]);
        }
        for (String[] pair : pairs(query)) {
          params.add(pair[0], pair[1]);
        }
      }
    }

    private static List<String[]> pairs(String encoded) {
      List<String[]> out = new ArrayList<>();
      if (encoded == null) {
        return out;
      }
      for (String part : encoded.split("&")) {
        if (!part.isEmpty()) {
          int eq = part.indexOf('=');
          out.add(new String[] {decode(eq < 0 ? part : part.substring(0, eq)), eq < 0 ? null : decode(part.substring(eq + 1))});
        }
      }
      return out;
    }

    private static String decode(String s) {
      try {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return s;
      }
    }
  }

  /** Builds {@link RetryFilter}; the shortcut follows Spring: retries, statuses, methods, then the backoff. */
  public static final class Factory implements FilterFactory {
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");
    private static final List<String> BACKOFF_KEYS = List.of("firstBackoff", "maxBackoff", "factor", "basedOnPreviousValue");

    @Override
    public String name() {
      return "Retry";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("retries", "statuses", "methods", "backoff.firstBackoff", "backoff.maxBackoff", "backoff.factor",
        "backoff.basedOnPreviousValue");
    }

    @Override
    public List<String> argNames() {
      return List.of("retries", "statuses", "methods", "series", "exceptions", "backoff", "backoff.firstBackoff",
        "backoff.maxBackoff", "backoff.factor", "backoff.basedOnPreviousValue", "jitter", "jitter.randomFactor");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      int retries = ArgValues.integer("retries", args.values().get("retries"), 3);
      if (retries < 1) {
        throw args.bad("retries", "must be at least 1, not " + retries);
      }
      List<String> statusNames = orDefault(ArgValues.list("statuses", args.values().get("statuses")), List.of());
      // present but empty (series: []) switches the default off, as in Spring
      List<String> seriesNames = args.values().containsKey("series")
        ? orDefault(ArgValues.list("series", args.values().get("series")), List.of()) : List.of("SERVER_ERROR");
      StatusSet statuses = StatusSet.of("statuses", statusNames, "series", seriesNames);

      List<String> methodNames = ArgValues.list("methods", args.values().get("methods"));
      Set<String> methods = new TreeSet<>();
      for (String m : methodNames == null ? List.of("GET") : methodNames) {
        String upper = m.toUpperCase(Locale.ROOT);
        if (!KNOWN_METHODS.contains(upper)) {
          throw args.bad("methods", "unknown HTTP method '" + m + "' (expected some of " + new TreeSet<>(KNOWN_METHODS) + ")");
        }
        methods.add(upper);
      }
      if (methods.isEmpty()) {
        throw args.bad("methods", "must name at least one method");
      }

      List<String> exceptionNames = ArgValues.list("exceptions", args.values().get("exceptions"));
      List<ExceptionRule> exceptions = new ArrayList<>();
      for (String name : exceptionNames == null ? List.of(IOException.class.getName(), TimeoutException.class.getName()) : exceptionNames) {
        if (!name.matches("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*")) {
          throw args.bad("exceptions", "'" + name + "' is not a class name");
        }
        exceptions.add(ExceptionRule.of(name));
      }
      if (statuses.isEmpty() && exceptions.isEmpty()) {
        throw new DefinitionException("statuses, series and exceptions are all empty: nothing would be retried");
      }
      return new RetryFilter(context, retries, statuses, methods, exceptions, backoff(args));
    }

    private static Backoff backoff(Args args) throws DefinitionException {
      ArgValues.object(args, "jitter", List.of("randomFactor"));
      double jitter = ArgValues.decimal("jitter.randomFactor", ArgValues.nested(args, "jitter", "randomFactor"), 0);
      if (jitter < 0 || jitter > 1) {
        throw ArgValues.bad("jitter.randomFactor", "must be between 0 and 1, not " + jitter);
      }
      if (!ArgValues.hasGroup(args, "backoff")) {
        if (jitter > 0) {
          throw ArgValues.bad("jitter", "needs a backoff to vary");
        }
        return null;
      }
      ArgValues.object(args, "backoff", BACKOFF_KEYS);
      Duration first = ArgValues.duration("backoff.firstBackoff", ArgValues.nested(args, "backoff", "firstBackoff"));
      Duration max = ArgValues.duration("backoff.maxBackoff", ArgValues.nested(args, "backoff", "maxBackoff"));
      double factor = ArgValues.decimal("backoff.factor", ArgValues.nested(args, "backoff", "factor"), 2);
      boolean previous = ArgValues.bool("backoff.basedOnPreviousValue", ArgValues.nested(args, "backoff", "basedOnPreviousValue"), true);
      long firstMs = first == null ? 5 : first.toMillis();
      long maxMs = max == null ? 0 : max.toMillis();
      if (firstMs <= 0) {
        throw ArgValues.bad("backoff.firstBackoff", "must be greater than 0");
      }
      if (factor < 1) {
        throw ArgValues.bad("backoff.factor", "must be at least 1, not " + factor);
      }
      if (max != null && maxMs < firstMs) {
        throw ArgValues.bad("backoff.maxBackoff", "must not be less than firstBackoff (" + firstMs + " ms)");
      }
      return new Backoff(firstMs, maxMs, factor, previous, jitter);
    }

    private static <T> T orDefault(T value, T fallback) {
      return value == null ? fallback : value;
    }
  }
}
