package io.junction.http.api;

import io.vertx.core.json.JsonObject;

/**
 * The entries of an error's {@code details} (schema ErrorDetail in the contracts):
 * {@code {"in", "field", "pointer", "keyword", "reason"}}. {@code pointer} is a JSON pointer into the request seen
 * as {@code {"body":…, "query":{…}, "path":{…}, "header":{…}}}; {@code field} is the same place for humans.
 * Handlers use it for their own 400s, e.g. {@code ErrorDetails.body("/oldPassword", "value", "is not your password")}.
 */
public final class ErrorDetails {
  private ErrorDetails() {
  }

  /** A problem at a JSON pointer inside the body ("" or "/" = the whole body). */
  public static JsonObject body(String bodyPointer, String keyword, String reason) {
    String pointer = bodyPointer == null || bodyPointer.equals("/") ? "" : bodyPointer;
    return detail("body", fieldOf(pointer), "/body" + pointer, keyword, reason);
  }

  /** A problem with a query, path or header parameter. */
  public static JsonObject parameter(String in, String name, String keyword, String reason) {
    return detail(in, name, "/" + in + "/" + escape(name), keyword, reason);
  }

  private static JsonObject detail(String in, String field, String pointer, String keyword, String reason) {
    JsonObject d = new JsonObject().put("in", in).put("field", field).put("pointer", pointer);
    if (keyword != null) {
      d.put("keyword", keyword);
    }
    return d.put("reason", reason);
  }

  /** "/roles/2/name" → "roles[2].name"; "" → "body". */
  static String fieldOf(String pointer) {
    if (pointer.isEmpty()) {
      return "body";
    }
    StringBuilder field = new StringBuilder();
    for (String raw : pointer.substring(1).split("/", -1)) {
      String segment = raw.replace("~1", "/").replace("~0", "~");
      if (!segment.isEmpty() && segment.chars().allMatch(Character::isDigit)) {
        field.append('[').append(segment).append(']');
      } else {
        field.append(field.length() == 0 ? "" : ".").append(segment);
      }
    }
    return field.toString();
  }

  static String escape(String segment) {
    return segment.replace("~", "~0").replace("/", "~1");
  }
}
