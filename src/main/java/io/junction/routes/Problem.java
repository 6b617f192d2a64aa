package io.junction.routes;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A refusal with its HTTP status, stable error code and, for 400/409, one detail per field at fault. */
final class Problem extends RuntimeException {
  final int status;
  final String code;
  final JsonArray details;

  Problem(int status, String code, String message, JsonArray details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = details == null ? new JsonArray() : details;
  }

  /** One entry of the contract's ErrorDetail: {@code field} as humans read it, {@code pointer} as JSON Pointer. */
  static JsonObject detail(String in, String field, String keyword, String reason) {
    String pointer = "/" + in + (field.isEmpty() ? "" : "/" + field.replaceAll("\\[(\\d+)]", "/$1").replace('.', '/'));
    return new JsonObject().put("in", in).put("field", field).put("pointer", pointer).put("keyword", keyword)
      .put("reason", reason.length() > 1000 ? reason.substring(0, 997) + "..." : reason);
  }

  static Problem invalid(String in, String field, String reason) {
    return invalid(reason.isEmpty() ? field : field + ": " + reason, new JsonArray().add(detail(in, field, "value", reason)));
  }

  static Problem invalid(String message, JsonArray details) {
    return new Problem(400, "invalid_request", message, details);
  }

  static Problem notFound(String what) {
    return new Problem(404, "not_found", what + " not found", null);
  }

  static Problem conflict(String message, JsonArray details) {
    return new Problem(409, "conflict", message, details);
  }

  static Problem readOnly(Kind kind, String id) {
    return new Problem(409, "read_only", kind.noun + " " + id + " comes from the configuration file and is read-only through the API"
      + " (set routes.apiOverrides: true to let the API override it)", null);
  }

  static Problem stale(Kind kind, String id, long current, long asked) {
    return new Problem(412, "precondition_failed", kind.noun + " " + id + " is at version \"" + current + "\", not \"" + asked + "\"", null);
  }

  static Problem ifMatchRequired() {
    return new Problem(428, "precondition_required", "If-Match is required: send the ETag of the version you read", null);
  }

  static Problem unavailable(String message) {
    return new Problem(503, "unavailable", message, null);
  }
}
