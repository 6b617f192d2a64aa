package io.junction.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns every failure on a router into the JSON error body; unexpected ones are logged, never leaked. */
public final class ErrorHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status = ctx.statusCode();
    if (failure instanceof HttpException http) {
      status = http.getStatusCode();
    }
    if (status < 400) {
      status = 500;
    }
    String message;
    if (status >= 500) {
      LOG.error("request {} {} failed", ctx.request().method(), ctx.request().path(), failure);
      message = "internal error; quote the request id when reporting it";
    } else if (failure instanceof HttpException http && http.getPayload() != null) {
      message = http.getPayload();
    } else {
      message = defaultMessage(status);
    }
    ApiError.send(ctx.response(), status, message);
  }

  private static String defaultMessage(int status) {
    return switch (status) {
      case 400 -> "the request is malformed";
      case 404 -> "no such resource";
      case 405 -> "method not allowed on this resource";
      case 413 -> "request body too large";
      case 415 -> "unsupported content type";
      default -> "request refused";
    };
  }
}
