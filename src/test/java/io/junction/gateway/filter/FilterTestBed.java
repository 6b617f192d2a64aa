package io.junction.gateway.filter;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.gateway.route.Route;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ItemDefinition;
import io.junction.gateway.route.definition.RouteDefinition;
import io.junction.gateway.route.path.PathNormalizer;
import io.junction.gateway.route.predicate.MatchContext;
import io.junction.gateway.route.predicate.PredicateRegistry;
import io.junction.gateway.route.predicate.TestRequest;
import io.junction.observability.RequestContext;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.assertj.core.api.AbstractThrowableAssert;

/**
 * The Junction side of a filter test: a real HTTP server on a random loopback port that runs a route's filters the
 * way the gateway does. The route's predicates capture URI variables, an {@link Exchange} is built per request, an
 * optional filter ahead of the route runs even for paths no route matches (as the proxy applies GlobalCors), the
 * filters run, and the end of the chain plays the upstream: it records what reached it ({@link Outgoing}) and answers
 * through {@link Exchange#prepareResponse}, so response filters run as they would. A chain that fails with nothing
 * sent is answered as the proxy does: 502 for upstream statuses and I/O failures, 504 for timeouts, else 500.
 *
 * <pre>
 * try (FilterTestBed bed = FilterTestBed.with("StripPrefix=2").start()) {
 *   bed.get("/a/b/c");
 *   assertThat(bed.outgoing().path()).isEqualTo("/c");
 * }
 * </pre>
 *
 * What only one filter family needs stays next to its tests: web/WebTestBed (streamed replies, GlobalCors,
 * preflights), resilience/ResilienceTestBed (a scripted upstream, filters swapped per request, Redis).
 */
public class FilterTestBed implements AutoCloseable {

  public static final Vertx VERTX = Vertx.vertx();
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private static final FilterRegistry REGISTRY = FilterRegistry.defaults();

  /** One request that reached the upstream: its number (from 1) and what the filters made of it. */
  public record Outgoing(int number, String method, String path, String query, MultiMap headers,
      String hostOverride, boolean preserveHost, long maxRequestBodyBytes) {

    public String header(String name) {
      return headers.get(name);
    }
  }

  /** How the upstream answers a call; it writes the response through {@link Exchange#prepareResponse}. */
  public interface Upstream {
    Future<Void> answer(Outgoing call, Exchange ex);
  }

  private final HttpServer server;
  private final MeterRegistry meters = new SimpleMeterRegistry();
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicReference<Outgoing> outgoing = new AtomicReference<>();
  private final AtomicInteger requestIds = new AtomicInteger();

  protected FilterTestBed(Builder builder) {
    try {
      List<ItemDefinition> definitions = new ArrayList<>();
      List<GatewayFilter> filters = new ArrayList<>();
      FilterContext context = new FilterContext(builder.vertx, meters, builder.routeId, null, null);
      for (Object filter : builder.chain) {
        if (filter instanceof ItemDefinition definition) {
          definitions.add(definition);
          filters.add(REGISTRY.create(definition, context));
        } else {
          filters.add((GatewayFilter) filter);
        }
      }
      Route route = Route.compile(new RouteDefinition(builder.routeId, "http://upstream.test:9000", 0,
          builder.predicates, definitions, Map.of()), PredicateRegistry.defaults());
      Function<String, GatewayFilter> beforeRoute = builder.beforeRoute;
      FilterChain upstream = recording(builder.upstream != null ? builder.upstream : builder.fixedAnswer());
      // room for RequestHeaderSize tests beyond Vert.x's default 8 KB header limit
      server = builder.vertx.createHttpServer(new HttpServerOptions().setMaxHeaderSize(64 * 1024))
          .requestHandler(request -> handle(request, route, filters, beforeRoute, upstream))
          .listen(0, "127.0.0.1")
          .await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("cannot start the test bed: " + e.getMessage(), e);
    }
  }

  /** A route with these filters, from shortcut text such as {@code StripPrefix=2}. */
  public static Builder with(String... filters) {
    return adding(new Builder(), filters);
  }

  /** The builder with these filters added, for a family's own builder. */
  protected static <B extends Builder> B adding(B builder, String... filters) {
    for (String filter : filters) {
      builder.then(filter);
    }
    return builder;
  }

  /** A route with one filter in the expanded form, {@code {"name": ..., "args": {...}}}. */
  public static Builder withJson(String filter) {
    return new Builder().thenJson(filter);
  }

  public static FilterContext context() {
    return new FilterContext(VERTX, new SimpleMeterRegistry(), "test", null, null);
  }

  /** Builds a filter as config loading does. */
  public static GatewayFilter create(Object definition) throws DefinitionException {
    return REGISTRY.create(ItemDefinition.parse(definition), context());
  }

  /** Asserts that building the filter from shortcut text fails, for checking the message. */
  public static AbstractThrowableAssert<?, ? extends Throwable> fails(String shortcut) {
    return assertThatThrownBy(() -> create(shortcut)).isInstanceOf(DefinitionException.class);
  }

  public static AbstractThrowableAssert<?, ? extends Throwable> failsJson(String json) {
    return assertThatThrownBy(() -> create(new JsonObject(json))).isInstanceOf(DefinitionException.class);
  }

  private static ItemDefinition parse(Object definition) {
    try {
      return ItemDefinition.parse(definition);
    } catch (DefinitionException e) {
      throw new AssertionError(definition + ": " + e.getMessage(), e);
    }
  }

  public static class Builder {
    private final List<Object> chain = new ArrayList<>(); // definitions and built filters, in order
    private final List<ItemDefinition> predicates = new ArrayList<>();
    private final MultiMap upstreamHeaders = MultiMap.caseInsensitiveMultiMap();
    private int upstreamStatus = 200;
    private String upstreamBody = "upstream body";
    private Upstream upstream;
    private Function<String, GatewayFilter> beforeRoute = path -> null;
    private String routeId = "test";
    private Vertx vertx = VERTX;

    protected Builder() {
    }

    /** Another filter after the ones so far. */
    public Builder then(String filter) {
      chain.add(parse(filter));
      return this;
    }

    public Builder thenJson(String filter) {
      chain.add(parse(new JsonObject(filter)));
      return this;
    }

    /** A filter built by the test itself (own context, Redis, forwarder). */
    public Builder then(GatewayFilter filter) {
      chain.add(filter);
      return this;
    }

    /** A route predicate, e.g. {@code Path=/red/{segment}}, whose captured variables filters can use. */
    public Builder predicate(String predicate) {
      predicates.add(parse(predicate));
      return this;
    }

    public Builder upstreamStatus(int status) {
      this.upstreamStatus = status;
      return this;
    }

    /** A header line the upstream answers with; call again with the same name for duplicates. */
    public Builder upstreamHeader(String name, String value) {
      upstreamHeaders.add(name, value);
      return this;
    }

    public Builder upstreamBody(String body) {
      this.upstreamBody = body;
      return this;
    }

    /** Answers of the test's own instead of the fixed status, headers and body. */
    public Builder upstream(Upstream upstream) {
      this.upstream = upstream;
      return this;
    }

    /** The filter (or null) that runs ahead of the route for a normalised path, also where no route matches. */
    public Builder beforeRoute(Function<String, GatewayFilter> beforeRoute) {
      this.beforeRoute = beforeRoute;
      return this;
    }

    public Builder routeId(String routeId) {
      this.routeId = routeId;
      return this;
    }

    /** The Vert.x the server and the filters built here run on; the caller closes it. */
    public Builder vertx(Vertx vertx) {
      this.vertx = vertx;
      return this;
    }

    public FilterTestBed start() {
      return new FilterTestBed(this);
    }

    private Upstream fixedAnswer() {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(upstreamHeaders);
      int status = upstreamStatus;
      String body = upstreamBody;
      return (call, ex) -> {
        HttpServerResponse response = ex.request().response();
        response.headers().addAll(headers);
        ex.prepareResponse(status, response.headers()); // as the proxy does, before the head goes out
        response.setStatusCode(ex.responseStatus());
        return response.end(body);
      };
    }
  }

  private FilterChain recording(Upstream upstream) {
    return ex -> {
      Outgoing call = new Outgoing(calls.incrementAndGet(), ex.method(), ex.path(), ex.encodedQuery(),
          MultiMap.caseInsensitiveMultiMap().addAll(ex.requestHeaders()), ex.hostOverride(), ex.preserveHost(),
          ex.maxRequestBodyBytes());
      outgoing.set(call);
      return upstream.answer(call, ex);
    };
  }

  private void handle(HttpServerRequest request, Route route, List<GatewayFilter> filters,
      Function<String, GatewayFilter> beforeRoute, FilterChain upstream) {
    String path = PathNormalizer.normalize(request.path());
    if (path == null) {
      request.response().setStatusCode(400).end("bad path");
      return;
    }
    List<GatewayFilter> chain = new ArrayList<>(filters.size() + 1);
    GatewayFilter first = beforeRoute.apply(path);
    if (first != null) {
      chain.add(first);
    }
    MatchContext match = new MatchContext().beginRoute(route.id());
    boolean matched = route.matches(routeRequest(request, path), match);
    FilterChain end = upstream;
    if (matched) {
      chain.addAll(filters);
    } else {
      end = ex -> ex.error(404, "not_found", "no route matches");
    }
    Exchange exchange = new Exchange(request, matched ? route : null, new HashMap<>(match.variables()),
        new RequestContext("req-" + requestIds.incrementAndGet(), "0af7651916cd43dd8448eb211c80319c",
            "b7ad6b7169203331"), path, MultiMap.caseInsensitiveMultiMap().addAll(request.headers()));
    run(chain, 0, end, exchange).onFailure(err -> {
      if (!exchange.committed()) {
        answerFailure(exchange, err);
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

  private static void answerFailure(Exchange ex, Throwable cause) {
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

  private static boolean isTimeout(Throwable t) {
    for (; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** What predicates see of the request (Path is all the filter tests route on). */
  private static TestRequest routeRequest(HttpServerRequest request, String path) {
    TestRequest view = new TestRequest().method(request.method().name()).path(path);
    request.headers().forEach(header -> view.header(header.getKey(), header.getValue()));
    request.params().forEach(param -> view.query(param.getKey(), param.getValue()));
    return view;
  }

  // ---- the client side

  /** The last request that reached the upstream, or null when the filters answered without calling it. */
  public Outgoing outgoing() {
    return outgoing.get();
  }

  /** How many requests reached the upstream. */
  public int calls() {
    return calls.get();
  }

  /** The meters of the filters built from definitions. */
  public MeterRegistry meters() {
    return meters;
  }

  /** The Host header the test client sends. */
  public String hostHeader() {
    return "127.0.0.1:" + server.actualPort();
  }

  /** A request to the bed with these header names and values; a GET unless the caller sets the method. */
  public HttpRequest.Builder request(String pathAndQuery, String... headerNameValues) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + hostHeader() + pathAndQuery))
        .timeout(Duration.ofSeconds(10));
    for (int i = 0; i + 1 < headerNameValues.length; i += 2) {
      request.header(headerNameValues[i], headerNameValues[i + 1]);
    }
    return request;
  }

  public HttpResponse<String> get(String pathAndQuery, String... headerNameValues) {
    return send(request(pathAndQuery, headerNameValues));
  }

  public HttpResponse<String> send(HttpRequest.Builder request) {
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
  public static JsonObject error(HttpResponse<String> response) {
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
