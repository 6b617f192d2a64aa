package io.junction.gateway.filter;

import io.junction.gateway.route.Route;
import io.junction.http.ApiError;
import io.junction.observability.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * One request through a route: the inbound request (read-only), the outgoing request that filters change
 * (method, decoded path, query, headers, target), what filters tell each other (attributes), and the hooks
 * that shape the response. One per request, used from its event loop only.
 */
public final class Exchange implements RequestRewrite.Target {
  private final HttpServerRequest request;
  private final Inbound inbound;
  private final Responder responder;
  private final Route route;
  private final Map<String, String> variables;
  private final RequestContext ids;

  private String method;
  private String path;
  private String rawQuery;
  private QueryParams query;
  private final MultiMap requestHeaders;
  private boolean preserveHost;
  private String hostOverride;
  private Map<String, Object> attributes;
  private List<Handler<Exchange>> beforeResponse;
  private IntPredicate failOnStatus;
  private long maxRequestBodyBytes = -1;
  private Buffer cachedBody;

  private MultiMap responseHeaders;
  private int responseStatus;
  private BodyTap bodyTap;
  private String clientAddress;

  /** Sees the response body as it streams to the client (LocalResponseCache); must not block or keep the chunks' buffers. */
  public interface BodyTap {
    void chunk(Buffer chunk);

    /** The whole body reached the client (complete = true), or the relay broke off (false). */
    void end(boolean complete);
  }

  /** Where an exchange's local answers go: the Vert.x response, or the direct relay's connection. */
  public interface Responder {
    /** Whether a response head has gone out already (or the client is gone): no local answer is possible. */
    boolean committed();

    /** Writes a whole response; the headers have been through the response hooks. */
    Future<Void> send(int status, MultiMap headers, Buffer body);
  }

  /**
   * An exchange of a Vert.x request.
   *
   * @param path           the normalised, decoded request path (what predicates matched)
   * @param requestHeaders the headers to send upstream: a copy of the inbound ones without hop-by-hop headers
   */
  public Exchange(HttpServerRequest request, Route route, Map<String, String> variables, RequestContext ids,
                  String path, MultiMap requestHeaders) {
    this(request, new VertxInbound(request), new VertxResponder(request.response()), route, variables, ids, path, requestHeaders);
  }

  /** An exchange of the direct relay: no Vert.x request; only {@link Relayable} filters run on it. */
  public Exchange(Inbound inbound, Responder responder, Route route, Map<String, String> variables, RequestContext ids,
                  String path, MultiMap requestHeaders) {
    this(null, inbound, responder, route, variables, ids, path, requestHeaders);
  }

  private Exchange(HttpServerRequest request, Inbound inbound, Responder responder, Route route, Map<String, String> variables,
                   RequestContext ids, String path, MultiMap requestHeaders) {
    this.request = request;
    this.inbound = inbound;
    this.responder = responder;
    this.route = route;
    this.variables = variables;
    this.ids = ids;
    this.method = inbound.method();
    this.path = path;
    this.rawQuery = inbound.query();
    this.requestHeaders = requestHeaders;
  }

  /**
   * The same client request served by another route ({@code forward:}): the outgoing headers, the attributes
   * (e.g. the failure that caused a fallback) and a cached body carry over; the path and route are new.
   */
  public Exchange forwardTo(Route target, Map<String, String> targetVariables, String targetPath) {
    Exchange next = new Exchange(request, inbound, responder, target, targetVariables, ids, targetPath, requestHeaders);
    next.cachedBody = cachedBody;
    next.clientAddress = clientAddress;
    next.maxRequestBodyBytes = maxRequestBodyBytes;
    if (attributes != null) {
      next.attributes().putAll(attributes);
    }
    return next;
  }

  // ---- inbound, read-only

  /** The Vert.x request; null on the direct relay (filters that need it are not {@link Relayable}). */
  public HttpServerRequest request() {
    return request;
  }

  /** The client's request as it arrived. */
  public Inbound inbound() {
    return inbound;
  }

  public Route route() {
    return route;
  }

  /** URI template variables captured by Path and Host predicates ({@code {segment}}). */
  @Override
  public Map<String, String> variables() {
    return variables;
  }

  public RequestContext ids() {
    return ids;
  }

  /**
   * The client's IP address: the connection's peer, or — behind proxies listed in gateway.trusted-proxies —
   * the address they forwarded. Rate limits by ip and consistent hashing by ip use it.
   */
  public String clientAddress() {
    if (clientAddress == null) {
      clientAddress = inbound.remoteHost();
    }
    return clientAddress;
  }

  public void setClientAddress(String address) {
    this.clientAddress = address;
  }

  // ---- outgoing request

  public String method() {
    return method;
  }

  public void setMethod(String method) {
    this.method = method;
  }

  /** The decoded path sent upstream; the proxy percent-encodes it. */
  @Override
  public String path() {
    return path;
  }

  @Override
  public void setPath(String path) {
    this.path = path;
  }

  /** Query parameters, decoded on first use; changes are re-encoded when the request is sent. */
  public QueryParams query() {
    if (query == null) {
      query = QueryParams.parse(rawQuery);
    }
    return query;
  }

  /** The encoded query to send (no '?'), or null for none. */
  public String encodedQuery() {
    if (query != null) {
      return query.isEmpty() ? null : query.encode();
    }
    return rawQuery == null || rawQuery.isEmpty() ? null : rawQuery;
  }

  public MultiMap requestHeaders() {
    return requestHeaders;
  }

  /** Send the client's Host header upstream instead of the upstream's own (PreserveHostHeader). */
  public boolean preserveHost() {
    return preserveHost;
  }

  @Override
  public void setPreserveHost(boolean preserveHost) {
    this.preserveHost = preserveHost;
  }

  /** A Host header to send upstream in place of the upstream's own (SetRequestHostHeader), or null. */
  public String hostOverride() {
    return hostOverride;
  }

  @Override
  public void setHostOverride(String host) {
    this.hostOverride = host;
  }

  /** Largest request body to forward (RequestSize); a larger one is refused with 413. -1 = no limit. */
  public long maxRequestBodyBytes() {
    return maxRequestBodyBytes;
  }

  public void setMaxRequestBodyBytes(long max) {
    this.maxRequestBodyBytes = max;
  }

  /**
   * Reads the whole request body into memory (at most maxBytes; more fails with 413 already answered) so it
   * can be sent more than once (Retry of a request with a body). Later sends use the cached copy.
   */
  public Future<Buffer> cacheRequestBody(long maxBytes) {
    if (cachedBody != null) {
      return Future.succeededFuture(cachedBody);
    }
    String length = request.getHeader("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > maxBytes) {
          return error(413, "payload_too_large", "request body larger than " + maxBytes + " bytes").map(v -> null);
        }
      } catch (NumberFormatException bad) {
        return error(400, "invalid_request", "bad Content-Length").map(v -> null);
      }
    }
    Buffer body = Buffer.buffer();
    io.vertx.core.Promise<Buffer> done = io.vertx.core.Promise.promise();
    request.handler(chunk -> {
      if (body.length() + chunk.length() > maxBytes) {
        request.handler(null);
        error(413, "payload_too_large", "request body larger than " + maxBytes + " bytes");
        done.tryFail(new IllegalStateException("request body too large"));
        return;
      }
      body.appendBuffer(chunk);
    });
    request.exceptionHandler(done::tryFail);
    Continue.invite(request);
    request.endHandler(v -> {
      cachedBody = body;
      done.tryComplete(body);
    });
    request.resume();
    return done.future();
  }

  /** The body read by {@link #cacheRequestBody}, or null when the body is streamed. */
  public Buffer cachedRequestBody() {
    return cachedBody;
  }

  // ---- between filters

  public Map<String, Object> attributes() {
    if (attributes == null) {
      attributes = new HashMap<>(4);
    }
    return attributes;
  }

  // ---- response

  /**
   * Runs just before the response head is written (upstream or local response). Hooks run in reverse order of
   * registration, as Spring's post-filters: the filter nearest the upstream sees the response first.
   */
  public void beforeResponse(Handler<Exchange> hook) {
    if (beforeResponse == null) {
      beforeResponse = new ArrayList<>(2);
    }
    beforeResponse.add(hook);
  }

  /**
   * Upstream statuses that fail {@link FilterChain#next} with {@link UpstreamStatusException} instead of being
   * sent to the client (the proxy discards that response). Null turns it off.
   */
  public void failOnStatus(IntPredicate statuses) {
    this.failOnStatus = statuses;
  }

  public IntPredicate failOnStatus() {
    return failOnStatus;
  }

  /** Headers of the response about to be sent; valid inside beforeResponse hooks. */
  public MultiMap responseHeaders() {
    return responseHeaders;
  }

  public int responseStatus() {
    return responseStatus;
  }

  public void setResponseStatus(int status) {
    this.responseStatus = status;
  }

  /** Called by the proxy (or {@link #respond}) with the status and headers it is about to send. */
  public void prepareResponse(int status, MultiMap headers) {
    this.responseStatus = status;
    this.responseHeaders = headers;
    if (beforeResponse != null) {
      for (int i = beforeResponse.size() - 1; i >= 0; i--) {
        beforeResponse.get(i).handle(this);
      }
    }
  }

  /** How many response hooks are registered: a filter that runs the rest of the chain again (Retry) marks... */
  public int hookMark() {
    return beforeResponse == null ? 0 : beforeResponse.size();
  }

  /** ...and drops the hooks registered since, so filters after it do not apply twice. */
  public void resetHooks(int mark) {
    if (beforeResponse != null) {
      while (beforeResponse.size() > mark) {
        beforeResponse.remove(beforeResponse.size() - 1);
      }
    }
  }

  /** Streams a copy of the upstream response body to tap (one tap per exchange; a later call replaces it). */
  public void tapResponseBody(BodyTap tap) {
    this.bodyTap = tap;
  }

  public BodyTap responseBodyTap() {
    return bodyTap;
  }

  public boolean committed() {
    return responder.committed();
  }

  /** Answers locally (short-circuit); response filters still run. */
  public Future<Void> respond(int status, MultiMap headers, Buffer body) {
    if (committed()) {
      return Future.succeededFuture();
    }
    MultiMap h = headers == null ? MultiMap.caseInsensitiveMultiMap() : headers;
    prepareResponse(status, h);
    return responder.send(responseStatus, responseHeaders, body);
  }

  /** Answers with the JSON error body of DESIGN.md §1. */
  public Future<Void> error(int status, String code, String message) {
    if (committed()) {
      return Future.succeededFuture();
    }
    MultiMap h = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json").add("Cache-Control", "no-store");
    return respond(status, h, Buffer.buffer(ApiError.body(code, message, new JsonArray(), ids.requestId()).encode()));
  }

  private record VertxResponder(HttpServerResponse response) implements Responder {
    @Override
    public boolean committed() {
      return response.headWritten() || response.ended() || response.closed();
    }

    @Override
    public Future<Void> send(int status, MultiMap headers, Buffer body) {
      response.setStatusCode(status);
      response.headers().addAll(headers);
      return body == null ? response.end() : response.end(body);
    }
  }
}
