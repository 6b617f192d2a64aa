package io.junction.http;

import io.junction.observability.RequestContext;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The one error body of DESIGN.md §1: {error, message, details, requestId}, with the matching status. */
public final class ApiError {
  private ApiError() {
  }

  public static JsonObject body(String code, String message, JsonArray details, String requestId) {
    JsonObject body = new JsonObject().put("error", code).put("message", message).put("details", details == null ? new JsonArray() : details);
    if (requestId != null) {
      body.put("requestId", requestId);
    }
    return body;
  }

  /** Ends the response with a JSON error, unless it has already started. */
  public static void send(HttpServerResponse response, int status, String code, String message, JsonArray details) {
    if (response.headWritten() || response.ended() || response.closed()) {
      return;
    }
    RequestContext rc = RequestContext.current();
    String requestId = rc != null ? rc.requestId() : response.headers().get(RequestIds.HEADER);
    response.setStatusCode(status)
      .putHeader("Content-Type", "application/json")
      .putHeader("Cache-Control", "no-store")
      .end(body(code, message, details, requestId).encode());
  }

  public static void send(HttpServerResponse response, int status, String message) {
    send(response, status, codeFor(status), message, null);
  }

  /** Stable machine-readable codes for each status Junction answers with. */
  public static String codeFor(int status) {
    return switch (status) {
      case 400 -> "invalid_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 406 -> "not_acceptable";
      case 409 -> "conflict";
      case 412 -> "precondition_failed";
      case 413 -> "payload_too_large";
      case 414 -> "uri_too_long";
      case 415 -> "unsupported_media_type";
      case 428 -> "precondition_required";
      case 429 -> "rate_limited";
      case 431 -> "header_too_large";
      case 502 -> "bad_gateway";
      case 503 -> "unavailable";
      case 504 -> "upstream_timeout";
      default -> status >= 500 ? "internal_error" : "error";
    };
  }
}
