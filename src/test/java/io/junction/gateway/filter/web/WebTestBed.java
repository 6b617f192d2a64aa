package io.junction.gateway.filter.web;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterTestBed;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The shared {@link FilterTestBed} with what the web filters need: the upstream answers each call with a
 * {@link Reply} of the test's and streams the body in several chunks through the exchange's body tap, as the
 * proxy's relay does; an optional {@link GlobalCors} runs before the route, as the proxy applies it, also for
 * paths no route matches; and CORS preflights.
 */
final class WebTestBed extends FilterTestBed {

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

  private WebTestBed(Builder builder) {
    super(builder);
  }

  public static Builder with(String... filters) {
    return adding(new Builder(), filters);
  }

  public static Builder withJson(String filter) {
    return new Builder().thenJson(filter);
  }

  static final class Builder extends FilterTestBed.Builder {

    Builder() {
      upstream(call -> Reply.ok("upstream body"));
    }

    @Override
    public Builder then(String filter) {
      super.then(filter);
      return this;
    }

    @Override
    public Builder thenJson(String filter) {
      super.thenJson(filter);
      return this;
    }

    @Override
    public Builder predicate(String predicate) {
      super.predicate(predicate);
      return this;
    }

    /** How the upstream answers each call. */
    Builder upstream(Function<Outgoing, Reply> replies) {
      upstream((call, ex) -> relay(replies.apply(call), ex));
      return this;
    }

    /** The same answer every time, with the call number appended to the body ({@code body#1}, ...). */
    Builder upstream(int status, String body, String... headerNameValues) {
      return upstream(call -> {
        Reply reply = new Reply(status, MultiMap.caseInsensitiveMultiMap(), body + "#" + call.number(), false);
        for (int i = 0; i + 1 < headerNameValues.length; i += 2) {
          reply.header(headerNameValues[i], headerNameValues[i + 1]);
        }
        return reply;
      });
    }

    Builder global(GlobalCors global) {
      beforeRoute(global::filterFor);
      return this;
    }

    @Override
    public WebTestBed start() {
      return new WebTestBed(this);
    }
  }

  /** Answers as the proxy relays: hooks, head, then the body in up to three chunks, each shown to the tap. */
  private static Future<Void> relay(Reply reply, Exchange ex) {
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
  }

  // ---- the client side

  /** The origin of this bed as a browser on it would send it. */
  String ownOrigin() {
    return "http://" + hostHeader();
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
}
