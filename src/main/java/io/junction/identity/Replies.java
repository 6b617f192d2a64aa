package io.junction.identity;

import io.junction.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/** Turns a handler's future into the HTTP answer: JSON with ETag/Location, or the error JSON of a Problem. */
final class Replies {
  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  /** What a handler answers: status, body (null = no content), ETag version (0 = none), Location (or null). */
  record Reply(int status, JsonObject body, long version, String location) {
    static Reply ok(JsonObject body) {
      return new Reply(200, body, 0, null);
    }

    static Reply noContent() {
      return new Reply(204, null, 0, null);
    }

    Reply etag(long v) {
      return new Reply(status, body, v, location);
    }
  }

  private Replies() {
  }

  static Handler<RoutingContext> handler(Function<RoutingContext, Future<Reply>> body) {
    return ctx -> {
      Future<Reply> result;
      try {
        result = body.apply(ctx);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(ar -> {
        if (ar.succeeded()) {
          send(ctx, ar.result());
        } else {
          fail(ctx, ar.cause());
        }
      });
    };
  }

  static void send(RoutingContext ctx, Reply reply) {
    var response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(reply.status()).putHeader("Cache-Control", "no-store");
    if (reply.version() > 0) {
      response.putHeader("ETag", "\"" + reply.version() + "\"");
    }
    if (reply.location() != null) {
      response.putHeader("Location", reply.location());
    }
    if (reply.body() == null) {
      response.end();
    } else {
      response.putHeader("Content-Type", "application/json").end(reply.body().encode());
    }
  }

  static void fail(RoutingContext ctx, Throwable err) {
    if (err instanceof Problem p) {
      if (p.status == 401) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
      }
      ApiError.send(ctx.response(), p.status, p.code, p.getMessage(), p.details);
    } else if (err instanceof PgException pg && "23505".equals(pg.getSqlState())) {
      ApiError.send(ctx.response(), 409, "conflict", "already exists: " + pg.getDetail(), null);
    } else {
      LOG.error("identity: request failed", err);
      ApiError.send(ctx.response(), 503, "unavailable", "identity store unavailable, try again", null);
    }
  }

  /** The version an If-Match header asks for; 0 when absent. */
  static long ifMatch(RoutingContext ctx) {
    String header = ctx.request().getHeader("If-Match");
    if (header == null || header.isBlank()) {
      return 0;
    }
    String value = header.trim();
    if (value.startsWith("W/")) {
      value = value.substring(2);
    }
    value = value.replace("\"", "");
    try {
      long v = Long.parseLong(value);
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw Problem.invalid("header", "If-Match", "must be an ETag such as \"3\"");
  }
}
