package io.junction.gateway.filter.basic;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterRegistry;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.route.Route;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ItemDefinition;
import io.junction.gateway.route.definition.RouteDefinition;
import io.junction.gateway.route.path.PathNormalizer;
import io.junction.gateway.route.predicate.MatchContext;
import io.junction.gateway.route.predicate.PredicateRegistry;
import io.junction.gateway.route.predicate.RouteRequest;
import io.junction.observability.RequestContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.AbstractThrowableAssert;

/**
 * A real HTTP server on a loopback port that runs a route's filters the way the gateway does: the route's
 * predicates capture URI variables, an {@link Exchange} is built per request, the filters run, and the end
 * of the chain plays the upstream: it records the outgoing request and answers with the configured status,
 * headers and body through {@link Exchange#prepareResponse}, so response filters run as they would.
 *
 * <pre>
 * try (FilterTestBed bed = FilterTestBed.with("StripPrefix=2").start()) {
 *   bed.get("/a/b/c");
 *   assertThat(bed.outgoing().path()).isEqualTo("/c");
 * }
 * </pre>
 */
final class FilterTestBed implements AutoCloseable {

  static final Vertx VERTX = Vertx.vertx();
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private static final FilterRegistry REGISTRY = FilterRegistry.of(BasicFilters.all());

  /** What reached the fake upstream. */
  record Outgoing(String method, String path, String query, MultiMap headers, String hostOverride,
      boolean preserveHost, long maxRequestBodyBytes) {

    String header(String name) {
      return headers.get(name);
    }
  }

  private final HttpServer server;
  private final AtomicReference<Outgoing> outgoing;

  private FilterTestBed(HttpServer server, AtomicReference<Outgoing> outgoing) {
    this.server = server;
    this.outgoing = outgoing;
  }

  /** A route with these filters, from shortcut text such as {@code StripPrefix=2}. */
  static Builder with(String... filters) {
    Builder builder = new Builder();
    for (String filter : filters) {
      builder.filters.add(parse(filter));
    }
    return builder;
  }

  /** A route with one filter in the expanded form, {@code {"name": ..., "args": {...}}}. */
  static Builder withJson(String filter) {
    Builder builder = new Builder();
    builder.filters.add(parse(new JsonObject(filter)));
    return builder;
  }

  static FilterContext context() {
    return new FilterContext(VERTX, new SimpleMeterRegistry(), "test", null, null);
  }

  /** Builds a filter as config loading does. */
  static GatewayFilter create(Object definition) throws DefinitionException {
    return REGISTRY.create(ItemDefinition.parse(definition), context());
  }

  /** Asserts that building the filter from shortcut text fails, for checking the message. */
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
    private final MultiMap upstreamHeaders = MultiMap.caseInsensitiveMultiMap();
    private int upstreamStatus = 200;
    private String upstreamBody = "upstream body";

    /** Another filter after the ones so far. */
    Builder then(String filter) {
      filters.add(parse(filter));
      return this;
    }

    /** A route predicate, e.g. {@code Path=/red/{segment}}, whose captured variables filters can use. */
    Builder predicate(String predicate) {
      predicates.add(parse(predicate));
      return this;
    }

    Builder upstreamStatus(int status) {
      this.upstreamStatus = status;
      return this;
    }

    /** A header line the upstream answers with; call again with the same name for duplicates. */
    Builder upstreamHeader(String name, String value) {
      upstreamHeaders.add(name, value);
      return this;
    }

    Builder upstreamBody(String body) {
      this.upstreamBody = body;
      return this;
    }

    FilterTestBed start() {
      try {
        Route route = Route.compile(new RouteDefinition("test", "http://upstream.test:9000", 0, predicates,
            filters, Map.of()), PredicateRegistry.defaults());
        List<GatewayFilter> built = new ArrayList<>();
        for (ItemDefinition filter : filters) {
          built.add(REGISTRY.create(filter, context()));
        }
        AtomicReference<Outgoing> outgoing = new AtomicReference<>();
        FilterChain upstream = fakeUpstream(outgoing);
        // room for RequestHeaderSize tests beyond Vert.x's default 8 KB header limit
        HttpServer server = VERTX.createHttpServer(new HttpServerOptions().setMaxHeaderSize(64 * 1024))
            .requestHandler(request -> handle(request, route, built, upstream))
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
        return new FilterTestBed(server, outgoing);
      } catch (Exception e) {
        throw new AssertionError("cannot start the test bed: " + e.getMessage(), e);
      }
    }

    private FilterChain fakeUpstream(AtomicReference<Outgoing> outgoing) {
      return ex -> {
        outgoing.set(new Outgoing(ex.method(), ex.path(), ex.encodedQuery(),
            MultiMap.caseInsensitiveMultiMap().addAll(ex.requestHeaders()), ex.hostOverride(), ex.preserveHost(),
            ex.maxRequestBodyBytes()));
        HttpServerResponse response = ex.request().response();
        response.headers().addAll(upstreamHeaders);
        ex.prepareResponse(upstreamStatus, response.headers()); // as the proxy does, before the head goes out
        response.setStatusCode(ex.responseStatus());
        return response.end(upstreamBody);
      };
    }
  }

  private static void handle(HttpServerRequest request, Route route, List<GatewayFilter> filters,
      FilterChain upstream) {
    String path = PathNormalizer.normalize(request.path());
    if (path == null) {
      request.response().setStatusCode(400).end("bad path");
      return;
    }
    MatchContext match = new MatchContext().beginRoute(route.id());
    if (!route.matches(new Request(request, path), match)) {
      request.response().setStatusCode(404).end("route does not match");
      return;
    }
    Exchange exchange = new Exchange(request, route, new HashMap<>(match.variables()),
        new RequestContext("req-1", "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"), path,
        MultiMap.caseInsensitiveMultiMap().addAll(request.headers()));
    run(filters, 0, upstream, exchange).onFailure(err -> {
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

  /** What predicates see of the request. */
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

  /** The request that reached the upstream, or null when a filter answered without calling it. */
  Outgoing outgoing() {
    return outgoing.get();
  }

  /** The Host header the test client sends. */
  String hostHeader() {
    return "127.0.0.1:" + server.actualPort();
  }

  HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + pathAndQuery))
        .timeout(Duration.ofSeconds(10));
  }

  HttpResponse<String> get(String pathAndQuery) {
    return send(request(pathAndQuery));
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

  /** The JSON error body of a response the gateway answered itself. */
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
