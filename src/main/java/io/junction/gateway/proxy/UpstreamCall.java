package io.junction.gateway.proxy;

import io.junction.gateway.filter.Continue;
import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.UpstreamException;
import io.junction.gateway.filter.UpstreamStatusException;
import io.junction.gateway.route.path.PathNormalizer;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.internal.ContextInternal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The end of every filter chain: sends the exchange's outgoing request to its target and streams the
 * response back (no buffering). Fails with {@link UpstreamException} when there is no usable response, and
 * with {@link UpstreamStatusException} when the exchange asked for it, leaving the client untouched so a
 * filter can retry or fall back.
 */
public final class UpstreamCall {
  private static final String FORWARD_HOPS = "junction.forwardHops";
  private static final int MAX_FORWARDS = 5;
  private final Vertx vertx;
  private final HttpClient client;
  private final WebSocketRelay webSockets;

  private final ProxyMeters meters;

  /** @param client this event loop's pooled client (keep-alive connections to every upstream) */
  public UpstreamCall(Vertx vertx, HttpClient client, WebSocketClient webSocketClient) {
    this(vertx, client, webSocketClient, null);
  }

  /** @param meters the gateway's meters (null: not measured) */
  public UpstreamCall(Vertx vertx, HttpClient client, WebSocketClient webSocketClient, ProxyMeters meters) {
    this.vertx = vertx;
    this.client = client;
    this.webSockets = new WebSocketRelay(webSocketClient);
    this.meters = meters;
  }

  ProxyMeters meters() {
    return meters;
  }

  /** The end of the chain for one exchange, with the settings of the snapshot it started on. */
  FilterChain terminal(GatewaySnapshot snapshot) {
    return ex -> call(ex, snapshot.upstreams(), snapshot.connectTimeoutMs(), snapshot.responseTimeoutMs());
  }

  private Future<Void> call(Exchange ex, Upstreams upstreams, long connectTimeoutMs, long responseTimeoutMs) {
    if ("forward".equalsIgnoreCase(ex.route().uri().getScheme())) {
      return forward(ex);
    }
    Target target = upstreams.pick(ex);
    if (target == null) {
      return ex.error(503, "unavailable", "no healthy instance of service '" + ex.route().serviceName() + "'");
    }
    ex.attributes().put(Target.class.getName(), target);
    HttpServerRequest inbound = ex.request();
    if (WebSocketRelay.isUpgrade(inbound)) {
      return webSockets.relay(ex, target, ex.route().connectTimeoutMillis().orElse(connectTimeoutMs))
        .andThen(ar -> upstreams.done(target, ar.succeeded()));
    }
    MultiMap headers = ex.requestHeaders();
    headers.set("Host", hostHeader(ex, ex.preserveHost() ? ForwardHeaders.hostOf(inbound) : null, target));
    RequestOptions options = new RequestOptions()
      .setMethod(HttpMethod.valueOf(ex.method()))
      .setHost(target.host()).setPort(target.port()).setSsl(target.ssl())
      .setURI(uri(ex))
      .setHeaders(headers)
      .setConnectTimeout(ex.route().connectTimeoutMillis().orElse(connectTimeoutMs));
    long responseTimeout = ex.route().responseTimeoutMillis().orElse(responseTimeoutMs);

    Promise<Void> done = Promise.promise();
    ProxyMeters.RouteMeters routeMeters = meters == null ? null : meters.route(ex.route());
    long t0 = System.nanoTime();
    ProxyHandler.upstreamStarted(ex, t0);
    done.future().onComplete(ar -> {
      long nanos = System.nanoTime() - t0;
      if (routeMeters != null) {
        routeMeters.upstream(target, nanos);
      }
      ProxyHandler.upstreamEnded(ex, t0, nanos); // the access log's upstreamMs
    });
    client.request(options).onComplete(ar -> {
      if (ar.failed()) {
        upstreams.done(target, false);
        done.fail(new UpstreamException(UpstreamException.Kind.CONNECT,
          "cannot connect to upstream " + target.authority() + ": " + ar.cause().getMessage(), ar.cause()));
        return;
      }
      exchange(ex, upstreams, target, ar.result(), responseTimeout, done);
    });
    return done.future();
  }

  /** The Host header to send: SetRequestHostHeader's, the client's (PreserveHostHeader), else the target's. */
  static String hostHeader(Exchange ex, String clientHost, Target target) {
    if (ex.hostOverride() != null) {
      return ex.hostOverride();
    }
    return ex.preserveHost() && clientHost != null ? clientHost : target.authority();
  }

  /** The request target to send: the exchange's path, percent-encoded, and its query. */
  static String uri(Exchange ex) {
    String query = ex.encodedQuery();
    String uri = PathNormalizer.encode(ex.path());
    return query == null ? uri : uri + "?" + query;
  }

  /** A {@code forward:/path} route: served by whichever route matches that path, at most a few hops deep. */
  private static Future<Void> forward(Exchange ex) {
    int hops = ex.attributes().get(FORWARD_HOPS) instanceof Integer n ? n : 0;
    if (hops >= MAX_FORWARDS) {
      return ex.error(508, "loop_detected", "route '" + ex.route().id() + "' forwards in a loop");
    }
    ex.attributes().put(FORWARD_HOPS, hops + 1);
    String path = ex.route().uri().getSchemeSpecificPart();
    return ProxyHandler.FORWARDER.forward(ex, path == null || path.isBlank() ? ex.path() : path);
  }

  private void exchange(Exchange ex, Upstreams upstreams, Target target, HttpClientRequest out, long responseTimeout, Promise<Void> done) {
    HttpServerRequest inbound = ex.request();
    ScheduledFuture<?> timer = responseTimeout > 0 ? schedule(responseTimeout, () -> {
      if (done.tryFail(new UpstreamException(UpstreamException.Kind.TIMEOUT, "upstream " + target.authority()
        + " did not answer within " + responseTimeout + " ms", new TimeoutException()))) {
        upstreams.done(target, false);
        out.reset();
      }
    }) : null;
    out.response().onComplete(ar -> {
      if (timer != null) {
        timer.cancel(false);
      }
      if (done.future().isComplete()) {
        return; // timed out or failed already
      }
      if (ar.failed()) {
        upstreams.done(target, false);
        done.tryFail(new UpstreamException(UpstreamException.Kind.CONNECT,
          "upstream " + target.authority() + " failed before answering: " + ar.cause().getMessage(), ar.cause()));
        return;
      }
      relay(ex, upstreams, target, ar.result(), done);
    });
    sendBody(ex, inbound, out, done);
  }

  /**
   * A response timeout on this request's event loop, run on its context. Straight on Netty's scheduler: a Vert.x
   * timer also registers every timer in a shared map by id, and this one is set and cancelled on every request.
   */
  private ScheduledFuture<?> schedule(long ms, Runnable onTimeout) {
    ContextInternal ctx = (ContextInternal) vertx.getOrCreateContext();
    return ctx.nettyEventLoop().schedule(() -> ctx.runOnContext(v -> onTimeout.run()), ms, TimeUnit.MILLISECONDS);
  }

  /** Streams the client's body upstream, enforcing the exchange's body limit when one is set. */
  private static void sendBody(Exchange ex, HttpServerRequest inbound, HttpClientRequest out, Promise<Void> done) {
    if (ex.cachedRequestBody() != null) {
      out.end(ex.cachedRequestBody());
      return;
    }
    if (inbound.isEnded() || !hasBody(inbound)) {
      out.end();
      return;
    }
    if (!out.headers().contains("Content-Length")) {
      out.setChunked(true); // the client's body had no length (chunked): pass it on chunked
    }
    Continue.invite(inbound);
    long max = ex.maxRequestBodyBytes();
    if (max < 0) {
      inbound.pipeTo(out).onFailure(err -> out.reset());
      return;
    }
    long[] seen = {0};
    inbound.handler(chunk -> {
      seen[0] += chunk.length();
      if (seen[0] > max) {
        inbound.handler(null);
        // answer first: the reset below fails the upstream exchange, which must not turn into a 502
        ex.error(413, "payload_too_large", "request body larger than " + max + " bytes").onComplete(v -> done.tryComplete());
        out.reset();
        return;
      }
      out.write(chunk);
    });
    inbound.endHandler(v -> out.end());
    inbound.resume();
  }

  private static boolean hasBody(HttpServerRequest inbound) {
    if (inbound.version() == HttpVersion.HTTP_2) {
      return true; // no framing headers to tell; isEnded() covered the empty case
    }
    return declaresBody(inbound.headers());
  }

  /** Whether HTTP/1.x request headers announce a body: a non-zero Content-Length, or Transfer-Encoding. */
  static boolean declaresBody(MultiMap headers) {
    String length = headers.get("Content-Length");
    return (length != null && !length.equals("0")) || headers.contains("Transfer-Encoding");
  }

  private static void relay(Exchange ex, Upstreams upstreams, Target target, HttpClientResponse in, Promise<Void> done) {
    int status = in.statusCode();
    if (ex.failOnStatus() != null && ex.failOnStatus().test(status)) {
      in.handler(null);
      in.resume(); // drain so the connection returns to the pool
      upstreams.done(target, status < 500);
      done.fail(new UpstreamStatusException(status));
      return;
    }
    HttpServerResponse response = ex.request().response();
    if (ex.committed()) {
      in.exceptionHandler(ignored -> { }); // our own reset: nothing to report
      in.request().reset();
      upstreams.done(target, true);
      done.tryComplete();
      return;
    }
    MultiMap headers = response.headers();
    ForwardHeaders.copyEndToEnd(in.headers(), headers);
    ex.prepareResponse(status, headers);
    response.setStatusCode(ex.responseStatus());
    String statusMessage = in.statusMessage();
    if (statusMessage != null && ex.responseStatus() == status) {
      response.setStatusMessage(statusMessage);
    }
    if (!headers.contains("Content-Length") && ex.request().version() != HttpVersion.HTTP_2) {
      response.setChunked(true);
    }
    // endOnFailure(false): a broken upstream body must not be ended as if complete; we reset instead.
    Exchange.BodyTap tap = ex.responseBodyTap();
    in.pipe().endOnFailure(false).to(tap == null ? response : new TappedResponse(response, tap)).onComplete(ar -> {
      if (ar.failed() && tap != null) {
        tap.end(false);
      }
      if (ar.succeeded()) {
        upstreams.done(target, status < 500);
        done.tryComplete();
      } else {
        upstreams.done(target, false);
        in.exceptionHandler(ignored -> { }); // the reset below is ours: nothing to report about it
        in.request().reset();
        if (!response.ended()) {
          // The client must see the failure, not a truncated "complete" response: HTTP/2 resets the stream,
          // HTTP/1.x can only close the connection.
          if (ex.request().version() == HttpVersion.HTTP_2) {
            response.reset();
          } else {
            ex.request().connection().close();
          }
        }
        done.tryFail(new UpstreamException(UpstreamException.Kind.BROKEN,
          "response from " + target.authority() + " broke off: " + ar.cause().getMessage(), ar.cause()));
      }
    });
  }
}
