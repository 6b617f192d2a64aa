package io.junction.gateway.filter.web;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.FilterRegistry;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.basic.BasicFilters;
import io.junction.gateway.route.Route;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ItemDefinition;
import io.junction.gateway.route.definition.RouteDefinition;
import io.junction.gateway.route.path.PathNormalizer;
import io.junction.gateway.route.predicate.MatchContext;
import io.junction.gateway.route.predicate.PredicateRegistry;
import io.junction.gateway.route.predicate.RouteRequest;
import io.junction.observability.RequestContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.assertj.core.api.AbstractThrowableAssert;

/**
 * A real HTTP server on a loopback port that runs a route's filters the way the gateway does (the basic bed of
 * filter/basic, plus what the web filters need): the end of the chain plays the upstream, counts its calls,
 * answers through {@link Exchange#prepareResponse} and streams the body in several chunks through the
 * exchange's body tap, as the proxy's relay does. An optional {@link GlobalCors} runs before the route, as the
 * proxy applies it, also for paths no route matches.
 */
final class WebTestBed implements AutoCloseable {

  static final Vertx VERTX = Vertx.vertx();
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private static final FilterRegistry REGISTRY = FilterRegistry.of(factories());

  private static List<FilterFactory> factories() {
    List<FilterFactory> all = new ArrayList<>(WebFilters.all());
    all.addAll(BasicFilters.all());
    return all;
  }

  /** What the fake upstream answers: status, headers, body; {@code chunked} leaves out Content-Length. */
  record Reply(int status, MultiMap headers, String body, boolean chunked) {

    static Reply ok(String body) {
      return new Reply(200, MultiMap.caseInsensitiveMultiMap(), body, false);
    }

    Reply header(String name, String value) {
      headers.add(name, value);
      return this;
    }

    Reply withStatus(int code) {
      return new Reply(code, headers, body, chunked);
    }

    /** Sent without Content-Length, in chunks. */
    Reply streamed() {
      return new Reply(status, headers, body, true);
    }
  }

  /** One call that reached the upstream: its number (from 1) and the outgoing request. */
  record Call(int number, String method, String path, String query, MultiMap headers) {
  }

  private final HttpServer server;
  private final AtomicInteger calls;
  private final MeterRegistry meters;

  private WebTestBed(HttpServer server, AtomicInteger calls, MeterRegistry meters) {
    this.server = server;
    this.calls = calls;
    this.meters = meters;
  }

  static Builder with(String... filters) {
    Builder builder = new Builder();
    for (String filter : filters) {
      builder.filters.add(parse(filter));
    }
    return builder;
  }

  static Builder withJson(String filter) {
    Builder builder = new Builder();
    builder.filters.add(parse(new JsonObject(filter)));
    return builder;
  }

  static FilterContext context(MeterRegistry meters) {
    return new FilterContext(VERTX, meters, "test", null, null);
  }

  static GatewayFilter create(Object definition) throws DefinitionException {
    return REGISTRY.create(ItemDefinition.parse(definition), context(new SimpleMeterRegistry()));
  }

  static AbstractThrowableAssert<?, ? extends Throwable> fails(String shortcut) {
    return assertThatThrownBy(() -> create(shortcut)).isInstanceOf(DefinitionException.class);
  }

  static AbstractThrowableAssert<?, ? extends Throwable> failsJson(String json) {
    return assertThatThrownBy(() -> create(new JsonObject(json))).isInstanceOf(DefinitionException.class);
  }

  private static ItemDefinition parse(Object definition) {
    try {
      return ItemDefinition.parse(definition);
    } catch (DefinitionException e) {
      throw new AssertionError(definition + ": " + e.getMessage(), e);
    }
  }

  static final class Builder {
    private final List<ItemDefinition> filters = new ArrayList<>();
    private final List<ItemDefinition> predicates = new ArrayList<>();
    private Function<Call, Reply> upstream = call -> Reply.ok("upstream body");
    private GlobalCors global = GlobalCors.NONE;

    Builder then(String filter) {
      filters.add(parse(filter));
      return this;
    }

    Builder thenJson(String filter) {
      filters.add(parse(new JsonObject(filter)));
      return this;
    }

    Builder predicate(String predicate) {
      predicates.add(parse(predicate));
      return this;
    }

    /** How the upstream answers each call. */
    Builder upstream(Function<Call, Reply> upstream) {
      this.upstream = upstream;
      return this;
    }

    /** The same answer every time, with the call number appended to the body ({@code body#1}, ...). */
    Builder upstream(int status, String body, String... headerNameValues) {
      this.upstream = call -> {
        Reply reply = new Reply(status, MultiMap.caseInsensitiveMultiMap(), body + "#" + call.number(), false);
        for (int i = 0; i + 1 < headerNameValues.length; i += 2) {
          reply.header(headerNameValues[i], headerNameValues[i + 1]);
        }
        return reply;
      };
      return this;
    }

    Builder global(GlobalCors global) {
      this.global = global;
      return this;
    }

    WebTestBed start() {
      try {
        Route route = Route.compile(new RouteDefinition("test", "http://upstream.test:9000", 0, predicates,
            filters, Map.of()), PredicateRegistry.defaults());
        MeterRegistry meters = new SimpleMeterRegistry();
        List<GatewayFilter> built = new ArrayList<>();
        for (ItemDefinition filter : filters) {
          built.add(REGISTRY.create(filter, context(meters)));
        }
        AtomicInteger calls = new AtomicInteger();
        FilterChain end = fakeUpstream(calls, upstream);
        GlobalCors globalCors = global;
        HttpServer server = VERTX.createHttpServer()
            .requestHandler(request -> handle(request, route, built, globalCors, end))
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
        return new WebTestBed(server, calls, meters);
      } catch (Exception e) {
        throw new AssertionError("cannot start the test bed: " + e.getMessage(), e);
      }
    }
  }

  /** Answers as the proxy relays: hooks, head, then the body in up to three chunks, each shown to the tap. */
  private static FilterChain fakeUpstream(AtomicInteger calls, Function<Call, Reply> upstream) {
    return ex -> {
      Reply reply = upstream.apply(new Call(calls.incrementAndGet(), ex.method(), ex.path(), ex.encodedQuery(),
          MultiMap.caseInsensitiveMultiMap().addAll(ex.requestHeaders())));
      byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
      HttpServerResponse response = ex.request().response();
      response.headers().addAll(reply.headers());
      if (!reply.chunked()) {
        response.headers().set("Content-Length", Integer.toString(body.length));
      }
      ex.prepareResponse(reply.status(), response.headers());
      response.setStatusCode(ex.responseStatus());
      if (!response.headers().contains("Content-Length")) {
        response.setChunked(true);
      }
      Exchange.BodyTap tap = ex.responseBodyTap();
      int step = Math.max(1, (body.length + 2) / 3);
      for (int from = 0; from < body.length; from += step) {
        Buffer chunk = Buffer.buffer().appendBytes(body, from, Math.min(step, body.length - from));
        if (tap != null) {
          tap.chunk(chunk);
        }
        response.write(chunk);
      }
      return response.end().andThen(ar -> {
        if (tap != null) {
          tap.end(ar.succeeded());
        }
      });
    };
  }

  private static void handle(HttpServerRequest request, Route route, List<GatewayFilter> filters, GlobalCors global,
      FilterChain upstream) {
    String path = PathNormalizer.normalize(request.path());
    if (path == null) {
      request.response().setStatusCode(400).end("bad path");
      return;
    }
    List<GatewayFilter> chain = new ArrayList<>(filters.size() + 1);
    GatewayFilter globalCors = global.filterFor(path);
    if (globalCors != null) {
      chain.add(globalCors);
    }
    MatchContext match = new MatchContext().beginRoute(route.id());
    boolean matched = route.matches(new Request(request, path), match);
    FilterChain end = upstream;
    if (matched) {
      chain.addAll(filters);
    } else {
      end = ex -> ex.error(404, "not_found", "no route matches");
    }
    Exchange exchange = new Exchange(request, matched ? route : null, new HashMap<>(match.variables()),
        new RequestContext("req-1", "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"), path,
        MultiMap.caseInsensitiveMultiMap().addAll(request.headers()));
    run(chain, 0, end, exchange).onFailure(err -> {
      if (!exchange.committed()) {
        request.response().setStatusCode(500).end("filter failed: " + err);
      }
    });
  }

  private static Future<Void> run(List<GatewayFilter> filters, int index, FilterChain upstream, Exchange ex) {
    if (index == filters.size()) {
      return upstream.next(ex);
    }
    try {
      return filters.get(index).filter(ex, next -> run(filters, index + 1, upstream, next));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private record Request(HttpServerRequest request, String path) implements RouteRequest {
    @Override
    public String method() {
      return request.method().name();
    }

    @Override
    public String host() {
      return request.getHeader("Host");
    }

    @Override
    public String header(String name) {
      return request.getHeader(name);
    }

    @Override
    public List<String> headers(String name) {
      return request.headers().getAll(name);
    }

    @Override
    public List<String> queryParams(String name) {
      return request.params().getAll(name);
    }

    @Override
    public List<String> cookies(String name) {
      return List.of();
    }

    @Override
    public InetAddress remoteAddress() {
      return null;
    }

    @Override
    public Map<String, Object> claims() {
      return null;
    }
  }

  // ---- the client side

  /** How many requests reached the upstream. */
  int calls() {
    return calls.get();
  }

  MeterRegistry meters() {
    return meters;
  }

  /** The origin of this bed as a browser on it would send it. */
  String ownOrigin() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + pathAndQuery))
        .timeout(Duration.ofSeconds(10));
  }

  HttpResponse<String> get(String pathAndQuery, String... headerNameValues) {
    HttpRequest.Builder request = request(pathAndQuery);
    for (int i = 0; i + 1 < headerNameValues.length; i += 2) {
      request.header(headerNameValues[i], headerNameValues[i + 1]);
    }
    return send(request);
  }

  /** A CORS preflight: OPTIONS with Origin, Access-Control-Request-Method and, if given, -Headers. */
  HttpResponse<String> preflight(String path, String origin, String method, String requestHeaders) {
    HttpRequest.Builder request = request(path).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin).header("Access-Control-Request-Method", method);
    if (requestHeaders != null) {
      request.header("Access-Control-Request-Headers", requestHeaders);
    }
    return send(request);
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static JsonObject error(HttpResponse<String> response) {
    return new JsonObject(response.body());
  }

  @Override
  public void close() {
    try {
      server.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
