package io.junction.gateway.filter.resilience;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.Forwarder;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.UpstreamStatusException;
import io.junction.gateway.route.Route;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ItemDefinition;
import io.junction.gateway.route.definition.RouteDefinition;
import io.junction.gateway.route.predicate.PredicateRegistry;
import io.junction.observability.RequestContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * A real HTTP server on a random loopback port that runs one filter per request against a scripted upstream
 * (a terminal {@link FilterChain} that behaves like the proxy: honours failOnStatus, writes the response through
 * {@link Exchange#prepareResponse}). When the chain fails with nothing sent, it answers the way the proxy does:
 * 502 for upstream statuses and I/O failures, 504 for timeouts.
 */
final class FilterTestBed implements AutoCloseable {
  static final String ROUTE_ID = "r1";

  final Vertx vertx = Vertx.vertx();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final Upstream upstream = new Upstream();
  final List<String> forwards = Collections.synchronizedList(new ArrayList<>());
  final List<Object> forwardCauses = Collections.synchronizedList(new ArrayList<>());
  /** Filters by node name (request header X-Node, default "a"). */
  final Map<String, GatewayFilter> filters = new ConcurrentHashMap<>();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final HttpServer server;
  private final Route route;
  final int port;

  FilterTestBed() throws Exception {
    this(ROUTE_ID);
  }

  FilterTestBed(String routeId) throws Exception {
    route = Route.compile(new RouteDefinition(routeId, "http://127.0.0.1:9", 0, List.of(), List.of(), Map.of()),
      PredicateRegistry.defaults());
    server = vertx.createHttpServer().requestHandler(this::handle);
    port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
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
    return route.id();
  }

  FilterContext context(Redis redis) {
    return new FilterContext(vertx, meters, route.id(), redis, forwarder);
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

  FilterTestBed use(GatewayFilter... chain) {
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

  private final AtomicInteger ids = new AtomicInteger();

  private void handle(HttpServerRequest request) {
    request.pause();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
    Exchange ex = new Exchange(request, route, Map.of("segment", "seg"), new RequestContext("req-" + ids.incrementAndGet(), "t", "s"),
      request.path(), headers);
    String user = request.getHeader("X-Test-User");
    if (user != null) {
      ex.attributes().put("user", user);
    }
    String node = request.getHeader("X-Node");
    GatewayFilter filter = filters.get(node == null ? "a" : node);
    Future<Void> result;
    try {
      result = filter.filter(ex, upstream);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.failed() && !ex.committed()) {
        Throwable cause = ar.cause();
        if (cause instanceof UpstreamStatusException s) {
          ex.error(502, "bad_gateway", "upstream answered " + s.status());
        } else if (isTimeout(cause)) {
          ex.error(504, "upstream_timeout", cause.toString());
        } else if (cause instanceof IOException) {
          ex.error(502, "bad_gateway", cause.toString());
        } else {
          ex.error(500, "internal_error", cause.toString());
        }
      }
    });
  }

  private static boolean isTimeout(Throwable t) {
    for (; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    return send("GET", path, null, headers);
  }

  HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
      .timeout(Duration.ofSeconds(10))
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  double counter(String name) {
    var c = meters.find(name).tag("route", route.id()).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() throws Exception {
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
