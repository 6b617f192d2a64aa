package io.junction.gateway.filter.resilience;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.FilterTestBed;
import io.junction.gateway.filter.Forwarder;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.UpstreamStatusException;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ItemDefinition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntPredicate;

/**
 * The shared {@link FilterTestBed} as the resilience tests use it: on a Vert.x of its own (closed with the bed, so
 * no timer outlives a test), against a scripted {@link Upstream} that behaves like the proxy (honours failOnStatus,
 * writes the response through {@link Exchange#prepareResponse}), with the filter under test picked per request
 * (header X-Node, default "a", so two "nodes" can share one Redis), the user of header X-Test-User as the caller and
 * {@code segment=seg} as the captured URI variable. When the chain fails with nothing sent, the shared bed answers
 * the way the proxy does: 502 for upstream statuses and I/O failures, 504 for timeouts.
 */
final class ResilienceTestBed implements AutoCloseable {
  static final String ROUTE_ID = "r1";

  final Vertx vertx = Vertx.vertx();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final Upstream upstream = new Upstream();
  final List<String> forwards = Collections.synchronizedList(new ArrayList<>());
  final List<Object> forwardCauses = Collections.synchronizedList(new ArrayList<>());
  /** Filters by node name (request header X-Node, default "a"). */
  final Map<String, GatewayFilter> filters = new ConcurrentHashMap<>();
  private final String routeId;
  private final FilterTestBed bed;

  ResilienceTestBed() throws Exception {
    this(ROUTE_ID);
  }

  ResilienceTestBed(String routeId) throws Exception {
    this.routeId = routeId;
    bed = FilterTestBed.with().routeId(routeId).vertx(vertx).then(this::dispatch)
        .upstream((call, ex) -> upstream.next(ex)).start();
    warmUp();
  }

  /** One request through both paths (upstream, local error) so class loading does not skew a test's timing. */
  private void warmUp() throws Exception {
    filters.put("a", (ex, chain) -> ex.request().getHeader("X-Warm-Error") != null ? ex.error(503, "unavailable", "warm") : chain.next(ex));
    get("/warm-up");
    get("/warm-up", "X-Warm-Error", "1");
    filters.clear();
    upstream.reset();
  }

  /** The forwarder of the gateway, reduced to answering 200 "fallback <path>" and recording the call. */
  final Forwarder forwarder = (ex, path) -> {
    forwards.add(path);
    forwardCauses.add(ex.attributes().get(CircuitBreakerFilter.EXECUTION_EXCEPTION));
    MultiMap h = MultiMap.caseInsensitiveMultiMap().add("X-Fallback", path);
    return ex.respond(200, h, Buffer.buffer("fallback " + path));
  };

  String routeId() {
    return routeId;
  }

  FilterContext context(Redis redis) {
    return new FilterContext(vertx, meters, routeId, redis, forwarder);
  }

  FilterContext context() {
    return context(null);
  }

  /** Builds a filter through the factory from the expanded form {@code {name, args}}. */
  GatewayFilter create(FilterFactory factory, Map<String, Object> args) throws DefinitionException {
    return create(factory, args, context());
  }

  static GatewayFilter create(FilterFactory factory, Map<String, Object> args, FilterContext context)
    throws DefinitionException {
    return factory.create(ItemDefinition.parse(new JsonObject().put("name", factory.name()).put("args", new JsonObject(args))), context);
  }

  ResilienceTestBed use(GatewayFilter... chain) {
    filters.put("a", compose(chain));
    return this;
  }

  /** Filters run in order, as a route's chain. */
  static GatewayFilter compose(GatewayFilter... chain) {
    return (ex, end) -> step(chain, 0, end).next(ex);
  }

  private static FilterChain step(GatewayFilter[] chain, int i, FilterChain end) {
    return i >= chain.length ? end : ex -> chain[i].filter(ex, step(chain, i + 1, end));
  }

  private Future<Void> dispatch(Exchange ex, FilterChain chain) {
    ex.request().pause(); // in the request's first tick: the body waits for the upstream (or Retry) to read it
    ex.variables().put("segment", "seg");
    String user = ex.request().getHeader("X-Test-User");
    if (user != null) {
      ex.attributes().put("user", user);
    }
    String node = ex.request().getHeader("X-Node");
    return filters.get(node == null ? "a" : node).filter(ex, chain);
  }

  HttpResponse<String> get(String path, String... headers) {
    return bed.get(path, headers);
  }

  HttpResponse<String> send(String method, String path, String body) {
    return bed.send(bed.request(path).method(method, HttpRequest.BodyPublishers.ofString(body)));
  }

  double counter(String name) {
    var c = meters.find(name).tag("route", routeId).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() throws Exception {
    bed.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** What the upstream does on one attempt. */
  record Outcome(int status, Throwable failure, long delayMillis) {
    static Outcome status(int status) {
      return new Outcome(status, null, 0);
    }

    static Outcome delayed(int status, long millis) {
      return new Outcome(status, null, millis);
    }

    static Outcome connectRefused() {
      return new Outcome(0, new ConnectException("Connection refused"), 0);
    }

    /** As the proxy reports a response timeout: an IOException caused by a TimeoutException. */
    static Outcome timedOut() {
      return new Outcome(0, new IOException("upstream did not answer", new TimeoutException()), 0);
    }
  }

  /** The scripted end of the chain; records every attempt. */
  static final class Upstream implements FilterChain {
    final ConcurrentLinkedDeque<Outcome> script = new ConcurrentLinkedDeque<>();
    volatile Outcome otherwise = Outcome.status(200);
    final List<Long> attemptNanos = Collections.synchronizedList(new ArrayList<>());
    final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    final List<IntPredicate> failOn = Collections.synchronizedList(new ArrayList<>());
    final List<Exchange> exchanges = Collections.synchronizedList(new ArrayList<>());

    Upstream then(Outcome... outcomes) {
      script.addAll(List.of(outcomes));
      return this;
    }

    Upstream then(int... statuses) {
      for (int s : statuses) {
        script.add(Outcome.status(s));
      }
      return this;
    }

    void reset() {
      script.clear();
      attemptNanos.clear();
      bodies.clear();
      failOn.clear();
      exchanges.clear();
    }

    int attempts() {
      return attemptNanos.size();
    }

    @Override
    public Future<Void> next(Exchange ex) {
      attemptNanos.add(System.nanoTime());
      failOn.add(ex.failOnStatus());
      exchanges.add(ex);
      int n = attemptNanos.size();
      Outcome o = script.poll();
      Outcome outcome = o == null ? otherwise : o;
      HttpServerRequest request = ex.request();
      Future<Buffer> body;
      if (ex.cachedRequestBody() != null) {
        body = Future.succeededFuture(ex.cachedRequestBody());
      } else if (request.isEnded()) {
        body = Future.succeededFuture(Buffer.buffer());
      } else {
        body = request.body();
        request.resume();
      }
      return body.compose(b -> {
        bodies.add(b.toString());
        if (outcome.failure() != null) {
          return Future.failedFuture(outcome.failure());
        }
        if (outcome.delayMillis() <= 0) {
          return answer(ex, outcome.status(), n);
        }
        Promise<Void> later = Promise.promise();
        Vertx.currentContext().owner().setTimer(outcome.delayMillis(), id -> answer(ex, outcome.status(), n).onComplete(later));
        return later.future();
      });
    }

    private static Future<Void> answer(Exchange ex, int status, int attempt) {
      if (ex.failOnStatus() != null && ex.failOnStatus().test(status)) {
        return Future.failedFuture(new UpstreamStatusException(status));
      }
      if (ex.committed()) {
        return Future.succeededFuture(); // someone answered meanwhile: drop this response, as the proxy does
      }
      var response = ex.request().response();
      MultiMap headers = response.headers();
      headers.set("Content-Type", "text/plain");
      ex.prepareResponse(status, headers);
      response.setStatusCode(ex.responseStatus());
      return response.end("upstream " + status + " attempt " + attempt);
    }
  }
}
