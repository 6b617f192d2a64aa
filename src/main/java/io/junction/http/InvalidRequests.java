package io.junction.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests Vert.x could not decode (bad request line, headers too large): a JSON error and the connection
 * closed, since the stream position can no longer be trusted.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {
  @Override
  public void handle(HttpServerRequest request) {
    DecoderResult result = request.decoderResult();
    Throwable cause = result == null ? null : result.cause();
    int status = 400;
    String message = "malformed HTTP request";
    if (cause instanceof TooLongFrameException) {
      String text = String.valueOf(cause.getMessage());
      if (text.startsWith("An HTTP line is larger than")) {
        status = 414;
        message = "request line too long";
      } else if (text.startsWith("HTTP header is larger than")) {
        status = 431;
        message = "request headers too large";
      }
    } else if (cause != null && String.valueOf(cause.getMessage()).contains("Transfer-Encoding")
      && String.valueOf(cause.getMessage()).contains("Content-Length")) {
      // Netty refuses ambiguous framing (RFC 9112 §6.3) before a handler sees it: how requests are smuggled
      message = "both Content-Length and Transfer-Encoding are present";
    }
    request.response().putHeader("Connection", "close").endHandler(v -> request.connection().close());
    ApiError.send(request.response(), status, ApiError.codeFor(status), message, null);
  }
}
