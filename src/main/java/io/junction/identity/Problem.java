package io.junction.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** An answer that is not a success: status, stable error code, human message, optional field details. */
final class Problem extends RuntimeException {
  final int status;
  final String code;
  final JsonArray details;

  Problem(int status, String code, String message, JsonArray details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** A 400 about one field, in the contract's ErrorDetail shape; {@code in} is body, query, path or header. */
  static Problem invalid(String in, String field, String reason) {
    return new Problem(400, "invalid_request", field + " " + reason, new JsonArray().add(detail(in, field, reason)));
  }

  static Problem invalid(String field, String reason) {
    return invalid("body", field, reason);
  }

  static JsonObject detail(String in, String field, String reason) {
    return new JsonObject().put("in", in).put("field", field).put("pointer", "/" + in + "/" + field)
      .put("keyword", "value").put("reason", reason);
  }

  static Problem notFound(String what) {
    return new Problem(404, "not_found", what + " not found", null);
  }

  static Problem conflict(String message) {
    return new Problem(409, "conflict", message, null);
  }

  static Problem forbidden(String message) {
    return new Problem(403, "forbidden", message, null);
  }

  static Problem stale(long current) {
    return new Problem(412, "precondition_failed", "If-Match does not match the current version \"" + current + "\"", null);
  }

  static Problem unauthorized(String code, String message) {
    return new Problem(401, code, message, null);
  }
}
