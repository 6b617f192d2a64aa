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

  static Problem invalid(String field, String reason) {
    return new Problem(400, "invalid_request", field + " " + reason,
      new JsonArray().add(new JsonObject().put("field", field).put("pointer", "/" + field).put("reason", reason)));
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
