package io.junction.gateway.filter;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * {@code Expect: 100-continue}: the client waits for permission before sending its body. The gateway gives it
 * only when it starts reading the body (its filters have accepted the request), so a refusal such as 413
 * reaches the client before it sends a byte. The body is read once (streamed, or cached for retries), so this
 * runs once per request.
 */
public final class Continue {
  private Continue() {
  }

  public static void invite(HttpServerRequest request) {
    if (request.version() != HttpVersion.HTTP_1_0 && "100-continue".equalsIgnoreCase(request.getHeader("Expect"))
      && !request.response().headWritten()) {
      request.response().writeContinue();
    }
  }
}
