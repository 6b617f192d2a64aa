package io.junction.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * How modules' contract handlers answer: a handler returns a future {@link Reply} (JSON with ETag and Location)
 * or fails with an {@link ApiProblem} (the error JSON). Anything else is logged and answered 503: the module's
 * store did not answer, and the client may try again.
 */
public final class ApiReplies {
  private static final Logger LOG = LoggerFactory.getLogger(ApiReplies.class);

  /** status, JSON body (null: none), ETag version (0: none), Location (null: none). */
  public record Reply(int status, JsonObject body, long etag, String location) {
    public static Reply ok(JsonObject body) {
      return new Reply(200, body, 0, null);
    }

    public static Reply noContent() {
      return new Reply(204, null, 0, null);
    }

    public static Reply created(JsonObject body, long etag, String location) {
      return new Reply(201, body, etag, location);
    }

    public Reply withEtag(long version) {
      return new Reply(status, body, version, location);
    }
  }

  private ApiReplies() {
  }

  /** A handler for {@code module}'s operation: runs {@code body} and answers what it completes with. */
  public static Handler<RoutingContext> handler(String module, Function<RoutingContext, Future<Reply>> body) {
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
          fail(ctx, module, ar.cause());
        }
      });
    };
  }

  public static void send(RoutingContext ctx, Reply reply) {
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

  public static void fail(RoutingContext ctx, String module, Throwable err) {
    if (err instanceof ApiProblem p) {
      if (p.status() == 401) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
      }
      ApiError.send(ctx.response(), p.status(), p.code(), p.getMessage(), p.details());
    } else if (err instanceof PgException pg && "23505".equals(pg.getSqlState())) {
      // a unique index refused a concurrent twin of what the handler checked for
      ApiError.send(ctx.response(), 409, "conflict", "already exists: " + pg.getDetail(), null);
    } else {
      LOG.error("{}: request failed", module, err);
      ApiError.send(ctx.response(), 503, "unavailable", module + " store unavailable, try again", null);
    }
  }

  /**
   * The version an If-Match header names; 0 when absent and not {@code required} (428 when required), 400 when
   * it is not an ETag this API gave out.
   */
  public static long ifMatch(RoutingContext ctx, boolean required) {
    String header = ctx.request().getHeader("If-Match");
    if (header == null || header.isBlank()) {
      if (required) {
        throw ApiProblem.ifMatchRequired();
      }
      return 0;
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
    throw ApiProblem.invalid("header", "If-Match", "must be an ETag of this API, such as \"3\"");
  }

  /** The page size of a list operation (the contract bounds it; 50 when absent). */
  public static int limit(RoutingContext ctx) {
    String value = ctx.queryParams().get("limit");
    return value == null ? 50 : Integer.parseInt(value);
  }
}
