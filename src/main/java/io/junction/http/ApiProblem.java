package io.junction.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A refusal an admin or platform handler answers with: HTTP status, stable error code, human message and, for
 * 400/409, one ErrorDetail per field at fault ({@code {in, field, pointer, keyword, reason}}, the contract's
 * shape). {@link ApiReplies} turns it into the error JSON; it never carries a stack trace.
 */
public final class ApiProblem extends RuntimeException {
  private final int status;
  private final String code;
  private final JsonArray details;

  public ApiProblem(int status, String code, String message, JsonArray details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = details == null ? new JsonArray() : details;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public JsonArray details() {
    return details;
  }

  /** One ErrorDetail: {@code field} as humans read it ({@code roles[1].id}), {@code pointer} as a JSON Pointer. */
  public static JsonObject detail(String in, String field, String keyword, String reason) {
    String pointer = "/" + in + (field.isEmpty() ? "" : "/" + field.replaceAll("\\[(\\d+)]", "/$1").replace('.', '/'));
    return new JsonObject().put("in", in).put("field", field).put("pointer", pointer).put("keyword", keyword)
      .put("reason", reason.length() > 1000 ? reason.substring(0, 997) + "..." : reason);
  }

  /** A detail about a rule of the handler (not of the schema). */
  public static JsonObject detail(String in, String field, String reason) {
    return detail(in, field, "value", reason);
  }

  /** A 400 about one field; {@code in} is body, query, path or header. */
  public static ApiProblem invalid(String in, String field, String reason) {
    return invalid(reason.isEmpty() ? field : field + ": " + reason, new JsonArray().add(detail(in, field, reason)));
  }

  /** A 400 about one field of the body. */
  public static ApiProblem invalid(String field, String reason) {
    return invalid("body", field, reason);
  }

  public static ApiProblem invalid(String message, JsonArray details) {
    return new ApiProblem(400, "invalid_request", message, details);
  }

  public static ApiProblem unauthorized(String code, String message) {
    return new ApiProblem(401, code, message, null);
  }

  public static ApiProblem forbidden(String message) {
    return new ApiProblem(403, "forbidden", message, null);
  }

  public static ApiProblem notFound(String what) {
    return new ApiProblem(404, "not_found", what + " not found", null);
  }

  public static ApiProblem conflict(String message) {
    return conflict(message, null);
  }

  public static ApiProblem conflict(String message, JsonArray details) {
    return new ApiProblem(409, "conflict", message, details);
  }

  /** 412: the If-Match version is not the current one. */
  public static ApiProblem stale(String message) {
    return new ApiProblem(412, "precondition_failed", message, null);
  }

  public static ApiProblem ifMatchRequired() {
    return new ApiProblem(428, "precondition_required", "If-Match is required: send the ETag of the version you read", null);
  }

  public static ApiProblem unavailable(String message) {
    return new ApiProblem(503, "unavailable", message, null);
  }
}
