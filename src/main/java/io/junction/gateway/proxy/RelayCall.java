package io.junction.gateway.proxy;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.UpstreamException;
import io.junction.gateway.route.Route;
import io.junction.gateway.route.RouteMatch;
import io.junction.http.AccessLog;
import io.junction.http.RequestIds;
import io.junction.observability.RequestContext;
import io.junction.observability.Traceparent;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request on the direct relay: runs the route's (relayable) filters on an {@link Exchange}, borrows a
 * keep-alive upstream connection, streams the body both ways with back-pressure, and answers the same errors,
 * meters and access-log line as the Vert.x proxy. Lives on its connection's event loop only.
 */
final class RelayCall implements Exchange.Responder, UpstreamPool.Borrower {
  // header names used on every request, hashed once
  private static final AsciiString HOST = AsciiString.cached("Host");
  private static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
  private static final AsciiString TRANSFER_ENCODING = AsciiString.cached("Transfer-Encoding");
  private static final AsciiString CONNECTION = AsciiString.cached("Connection");
  private static final AsciiString REQUEST_ID = AsciiString.cached(RequestIds.HEADER);
  private static final AsciiString TRACEPARENT = AsciiString.cached(RequestIds.TRACEPARENT);
  private static final AsciiString CHUNKED = AsciiString.cached("chunked");
  private static final AsciiString CLOSE = AsciiString.cached("close");
  private final DirectRelays relays;
  private final DirectRelay conn;
  private final RelayInbound inbound;
  private final HttpRequest request;
  private final String rawPath;
  private final String path;
  private final GatewaySnapshot snapshot;
  private final RouteMatch match;
  private final String clientAddress;
  private final long start = System.nanoTime();
  private final ContextInternal context;
  private final boolean hasBody;
  private final boolean clientWantsClose;

  private RequestContext ids;
  private Exchange exchange;
  private ProxyMeters.RouteMeters routeMeters;

  private boolean requestEnded;
  private boolean readsPaused;
  private ArrayDeque<HttpContent> pendingBody;

  private Target target;
  private UpstreamPool.Link link;
  private HttpRequest outbound;
  private Promise<Void> upstreamDone;
  private ScheduledFuture<?> timer;
  private long upstreamStart;
  private long upstreamNanos = -1;
  private boolean interim;
  private boolean upstreamKeepAlive;

  private boolean headWritten;
  private boolean responseEnded;
  private boolean clientGone;
  private int status;
  private long bytes;
  private ProxyMeters.Outcome failure;
  private boolean finished;

  RelayCall(DirectRelays relays, DirectRelay conn, RelayInbound inbound, String rawPath, String path,
            GatewaySnapshot snapshot, RouteMatch match, String clientAddress, ContextInternal context) {
    this.relays = relays;
    this.conn = conn;
    this.inbound = inbound;
    this.request = inbound.request();
    this.rawPath = rawPath;
    this.path = path;
    this.snapshot = snapshot;
    this.match = match;
    this.clientAddress = clientAddress;
    this.context = context;
    this.hasBody = UpstreamCall.declaresBody(inbound.headers());
    this.clientWantsClose = !HttpUtil.isKeepAlive(request);
    this.requestEnded = request instanceof LastHttpContent;
  }

  boolean requestEnded() {
    return requestEnded;
  }

  // ---- the filter chain

  void run() {
    context.dispatch(v -> {
      Route route = match.route();
      HttpHeaders in = request.headers();
      ids = RequestIds.establish(in.get(REQUEST_ID), in.get(TRACEPARENT));
      MultiMap headers = ForwardHeaders.endToEnd(inbound.headers());
      conn.hop().addTo(in.get(HOST), headers);
      headers.set(REQUEST_ID, ids.requestId());
      headers.set(TRACEPARENT, Traceparent.format(ids.traceId(), ids.spanId()));
      exchange = new Exchange(inbound, this, route, match.variables(), ids, path, headers);
      if (clientAddress != null) {
        exchange.setClientAddress(clientAddress);
      }
      ProxyMeters meters = relays.meters();
      if (meters != null) {
        routeMeters = meters.route(route);
        meters.begin();
      }
      GatewayFilter[] filters = snapshot.filters(route.id(), path);
      FilterChains.run(filters, ex -> onLoop(this::callUpstream), exchange)
        .onComplete(ar -> onLoop(() -> ProxyHandler.settle(exchange, ar, outcome -> failure = outcome)));
    });
  }

  /**
   * Runs task on this connection's event loop, in the request's context. Futures made in the request's context
   * (Redis, for a rate limit) come back on it, but a filter may go on from a future made elsewhere; the relay's
   * state, its connection and its upstream pool belong to this loop alone.
   */
  private void onLoop(Runnable task) {
    if (conn.ctx().executor().inEventLoop()) {
      context.dispatch(v -> task.run());
    } else {
      context.runOnContext(v -> task.run());
    }
  }

  private Future<Void> onLoop(java.util.function.Supplier<Future<Void>> task) {
    if (conn.ctx().executor().inEventLoop()) {
      return task.get();
    }
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> task.get().onComplete(done));
    return done.future();
  }

  // ---- the upstream call

  private Future<Void> callUpstream() {
    if (clientGone) {
      return Future.failedFuture(new UpstreamException(UpstreamException.Kind.BROKEN, "client went away", null));
    }
    Target picked = snapshot.upstreams().pick(exchange);
    if (picked == null) {
      return exchange.error(503, "unavailable", "no healthy instance of service '" + exchange.route().serviceName() + "'");
    }
    target = picked;
    MultiMap headers = exchange.requestHeaders();
    headers.set(HOST, UpstreamCall.hostHeader(exchange, exchange.preserveHost() ? request.headers().get(HOST) : null, target));
    if (hasBody && !headers.contains(CONTENT_LENGTH)) {
      headers.set(TRANSFER_ENCODING, CHUNKED); // the client's body had no length: pass it on chunked
    }
    outbound = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(exchange.method()), UpstreamCall.uri(exchange),
      asNetty(headers));
    upstreamDone = Promise.promise();
    upstreamStart = System.nanoTime();
    upstreamDone.future().onComplete(ar -> {
      upstreamNanos = System.nanoTime() - upstreamStart;
      if (routeMeters != null) {
        routeMeters.upstream(target, upstreamNanos);
      }
    });
    Route route = exchange.route();
    relays.pool().acquire(target, route.connectTimeoutMillis().orElse(snapshot.connectTimeoutMs()), this);
    return upstreamDone.future();
  }

  @Override
  public void linked(UpstreamPool.Link link) {
    if (upstreamDone.future().isComplete() || clientGone) {
      link.release(); // nobody needs it any more
      return;
    }
    this.link = link;
    link.attach(this);
    Channel up = link.channel;
    up.write(outbound);
    if (pendingBody != null) {
      HttpContent chunk;
      while ((chunk = pendingBody.poll()) != null) {
        up.write(chunk);
      }
    }
    up.flush();
    if (!requestEnded) {
      resumeClient();
    }
    long timeout = exchange.route().responseTimeoutMillis().orElse(snapshot.responseTimeoutMs());
    if (timeout > 0) {
      timer = up.eventLoop().schedule(() -> context.dispatch(v -> timedOut(timeout)), timeout, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void failed(Throwable cause) {
    context.dispatch(v -> {
      snapshot.upstreams().done(target, false);
      upstreamDone.tryFail(new UpstreamException(UpstreamException.Kind.CONNECT,
        "cannot connect to upstream " + target.authority() + ": " + cause.getMessage(), cause));
    });
  }

  private void timedOut(long timeout) {
    if (!headWritten && upstreamDone.tryFail(new UpstreamException(UpstreamException.Kind.TIMEOUT, "upstream " + target.authority()
      + " did not answer within " + timeout + " ms", new TimeoutException()))) {
      snapshot.upstreams().done(target, false);
      dropLink();
    }
  }

  /** A piece of the client's body: straight upstream when connected, else kept until then (reads paused). */
  void requestContent(HttpContent content) {
    if (content instanceof LastHttpContent) {
      requestEnded = true;
    }
    if (content.decoderResult().isFailure()) {
      ReferenceCountUtil.release(content);
      conn.ctx().close(); // a broken body: nothing sensible can follow on this connection
      return;
    }
    if (finished || upstreamDone != null && upstreamDone.future().isComplete()) {
      ReferenceCountUtil.release(content); // answered already: the rest of the body is read and dropped
      if (requestEnded && finished) {
        conn.finished(this, clientWantsClose);
      }
      return;
    }
    if (link == null) {
      if (pendingBody == null) {
        pendingBody = new ArrayDeque<>(2);
      }
      pendingBody.add(content);
      if (!requestEnded) {
        pauseClient();
      }
      return;
    }
    Channel up = link.channel;
    up.writeAndFlush(content);
    if (!up.isWritable()) {
      pauseClient();
    }
  }

  // ---- the upstream's answer

  void upstreamRead(Object msg) {
    if (msg instanceof io.netty.handler.codec.DecoderResultProvider decoded && decoded.decoderResult().isFailure()) {
      // not HTTP, or a head over the size limit: the upstream's answer cannot be relayed
      Throwable cause = decoded.decoderResult().cause();
      ReferenceCountUtil.release(msg);
      UpstreamPool.Link broken = link;
      link = null;
      if (broken != null) {
        broken.discard();
      }
      upstreamClosed(new IllegalStateException("invalid response: " + cause.getMessage(), cause));
      return;
    }
    if (msg instanceof HttpResponse response) {
      int code = response.status().code();
      if (code < 200) {
        interim = true; // 1xx: not relayed (the gateway never asks for 100-continue upstream)
      } else {
        cancelTimer();
        if (upstreamDone.future().isComplete() || exchange.committed()) {
          ReferenceCountUtil.release(msg);
          snapshot.upstreams().done(target, true);
          dropLink();
          upstreamDone.tryComplete();
          return;
        }
        upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        writeHead(response);
      }
    }
    if (msg instanceof HttpContent content) {
      if (interim) {
        interim = !(content instanceof LastHttpContent);
        content.release();
        return;
      }
      if (!headWritten || responseEnded) {
        content.release();
        return;
      }
      bytes += content.content().readableBytes();
      if (content instanceof LastHttpContent) {
        conn.ctx().writeAndFlush(content);
        responseEnded = true;
        snapshot.upstreams().done(target, status < 500);
        UpstreamPool.Link done = link;
        link = null;
        if (upstreamKeepAlive && requestEnded) {
          done.release();
        } else {
          done.discard(); // the upstream wants it closed, or our request to it is not complete
        }
        upstreamDone.tryComplete();
        end();
      } else {
        conn.ctx().write(content);
        if (!conn.ctx().channel().isWritable()) {
          link.channel.config().setAutoRead(false); // the client reads slower than the upstream sends
        }
      }
    }
  }

  void upstreamReadComplete() {
    if (headWritten && !responseEnded) {
      conn.ctx().flush();
    }
  }

  private void writeHead(HttpResponse response) {
    status = response.status().code();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    headers.set(REQUEST_ID, ids.requestId());
    ForwardHeaders.copyEndToEnd(response.headers(), headers);
    exchange.prepareResponse(status, headers);
    int sent = exchange.responseStatus();
    HttpResponseStatus line = sent == status ? response.status() : HttpResponseStatus.valueOf(sent);
    status = sent;
    if (!headers.contains(CONTENT_LENGTH) && mayHaveBody(sent)) {
      headers.set(TRANSFER_ENCODING, CHUNKED);
    }
    if (clientWantsClose) {
      headers.set(CONNECTION, CLOSE);
    }
    headWritten = true;
    conn.ctx().write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, line, asNetty(headers)));
  }

  private boolean mayHaveBody(int code) {
    return code >= 200 && code != 204 && code != 304 && request.method() != HttpMethod.HEAD;
  }

  void upstreamClosed(Throwable cause) {
    link = null;
    context.dispatch(v -> {
      cancelTimer();
      if (responseEnded || upstreamDone.future().isComplete()) {
        return;
      }
      snapshot.upstreams().done(target, false);
      String why = cause == null ? "connection closed" : String.valueOf(cause.getMessage());
      if (!headWritten) {
        upstreamDone.tryFail(new UpstreamException(UpstreamException.Kind.CONNECT,
          "upstream " + target.authority() + " failed before answering: " + why, cause));
      } else {
        // HTTP/1.1 can only tell the client by closing: a truncated response must not look complete
        conn.ctx().close();
        upstreamDone.tryFail(new UpstreamException(UpstreamException.Kind.BROKEN,
          "response from " + target.authority() + " broke off: " + why, cause));
      }
    });
  }

  void upstreamWritable(boolean writable) {
    if (writable) {
      resumeClient();
    }
  }

  void clientWritable(boolean writable) {
    if (writable && link != null) {
      link.channel.config().setAutoRead(true);
      link.channel.read();
    }
  }

  private void pauseClient() {
    readsPaused = true;
    conn.ctx().channel().config().setAutoRead(false);
  }

  private void resumeClient() {
    readsPaused = false;
    Channel client = conn.ctx().channel();
    if (!client.config().isAutoRead()) {
      client.config().setAutoRead(true);
      client.read();
    }
  }

  /** Whether this call holds the client's reads back (its body waits for the upstream). */
  boolean readsPaused() {
    return readsPaused;
  }

  // ---- the client goes away

  void clientClosed() {
    clientGone = true;
    context.dispatch(v -> {
      cancelTimer();
      if (pendingBody != null) {
        pendingBody.forEach(ReferenceCountUtil::release);
        pendingBody.clear();
      }
      if (upstreamDone != null && !upstreamDone.future().isComplete()) {
        snapshot.upstreams().done(target, true); // the client's doing, not the upstream's
        dropLink();
        upstreamDone.tryFail(new UpstreamException(UpstreamException.Kind.BROKEN, "client went away", null));
      }
      if (!responseEnded) {
        failure = ProxyMeters.Outcome.ABORTED;
      }
      end();
    });
  }

  // ---- local answers (errors, 429, redirects): Exchange.Responder

  @Override
  public boolean committed() {
    return headWritten || responseEnded || clientGone;
  }

  @Override
  public Future<Void> send(int code, MultiMap headers, Buffer body) {
    return onLoop(() -> committed() ? Future.succeededFuture() : write(code, headers, body));
  }

  private Future<Void> write(int code, MultiMap headers, Buffer body) {
    HttpHeaders out = asNetty(headers); // the response's own map (local answers build a fresh one)
    if (!out.contains(RequestIds.HEADER)) {
      out.set(RequestIds.HEADER, ids.requestId());
    }
    int length = body == null ? 0 : body.length();
    out.set("Content-Length", length);
    if (clientWantsClose) {
      out.set("Connection", "close");
    }
    status = code;
    bytes = request.method() == HttpMethod.HEAD ? 0 : length;
    headWritten = true;
    responseEnded = true;
    var content = bytes == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body.getBytes());
    conn.ctx().writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code), content, out,
      EmptyHttpHeaders.INSTANCE));
    end();
    return Future.succeededFuture();
  }

  // ---- the end

  /** Response over (or client gone): meters, access log, and the connection may go on once the body is read. */
  private void end() {
    if (finished) {
      return;
    }
    finished = true;
    cancelTimer();
    long nanos = System.nanoTime() - start;
    ProxyMeters meters = relays.meters();
    if (meters != null) {
      meters.end();
      meters.relayed();
      ProxyMeters.Outcome outcome = failure != null ? failure
        : status < 400 ? ProxyMeters.Outcome.SUCCESS
        : status < 500 ? ProxyMeters.Outcome.CLIENT_ERROR : ProxyMeters.Outcome.SERVER_ERROR;
      routeMeters.request(io.vertx.core.http.HttpMethod.valueOf(request.method().name()), status == 0 ? 200 : status,
        outcome, nanos);
    }
    if (relays.accessLog()) {
      // inside the request's context, so the line carries its request and trace ids
      context.dispatch(v -> AccessLog.log("public", request.method().name(), rawPath, status, bytes, start, match.route().id(),
        target == null ? null : target.authority(), upstreamNanos));
    }
    if (requestEnded || clientGone) {
      conn.finished(this, clientWantsClose || clientGone);
    } else {
      resumeClient(); // read (and drop) the rest of the body, then the connection goes on
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void dropLink() {
    UpstreamPool.Link l = link;
    link = null;
    if (l != null) {
      l.discard();
    }
  }

  /** Vert.x's header maps are Netty headers too; anything else is copied. */
  private static HttpHeaders asNetty(MultiMap headers) {
    if (headers instanceof HttpHeaders h) {
      return h;
    }
    HttpHeaders out = new DefaultHttpHeaders();
    for (Map.Entry<String, String> e : headers) {
      out.add(e.getKey(), e.getValue());
    }
    return out;
  }
}
