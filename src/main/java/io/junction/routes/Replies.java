package io.junction.routes;

import io.junction.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/** How the routes module's handlers answer: a Reply as JSON (with ETag and Location), a Problem as the error JSON. */
final class Replies {
  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  /** status, JSON body (null: none), ETag version (0: none), Location (null: none). */
  record Reply(int status, JsonObject body, long etag, String location) {
    static Reply ok(JsonObject body) {
      return new Reply(200, body, 0, null);
    }

    Reply withEtag(long version) {
      return new Reply(status, body, version, location);
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
    if (reply.etag() > 0) {
      response.putHeader("ETag", "\"" + reply.etag() + "\"");
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
      ApiError.send(ctx.response(), p.status, p.code, p.getMessage(), p.details);
    } else {
      LOG.error("routes: request failed", err);
      ApiError.send(ctx.response(), 503, "unavailable", "route store unavailable, try again", null);
    }
  }

  /** The version If-Match names: 428 without it, 400 when it is not an ETag this API gave out. */
  static long ifMatch(RoutingContext ctx) {
    String header = ctx.request().getHeader("If-Match");
    if (header == null || header.isBlank()) {
      throw Problem.ifMatchRequired();
    }
    String value = header.trim();
    if (value.startsWith("W/")) {
      value = value.substring(2);
    }
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    try {
      long version = Long.parseLong(value);
      if (version > 0) {
        return version;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw Problem.invalid("header", "If-Match", "must be an ETag of this API, such as \"3\"");
  }

  static int limit(RoutingContext ctx) {
    String value = ctx.queryParams().get("limit");
    return value == null ? 50 : Integer.parseInt(value);
  }
}
