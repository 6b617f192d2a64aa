package io.junction.gateway.filter.auth;

import io.junction.gateway.filter.Exchange;
import io.junction.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;

import java.util.Collection;

/** The JSON answers of the auth filters: 401 with a challenge, 403 naming what is missing, 503. */
final class AuthResponses {
  private AuthResponses() {
  }

  static Future<Void> unauthorized(Exchange ex, String code, String message, String challenge) {
    MultiMap h = json().add("WWW-Authenticate", challenge);
    return ex.respond(401, h, Buffer.buffer(ApiError.body(code, message, new JsonArray(), ex.ids().requestId()).encode()));
  }

  /** 401 for a bad or missing bearer token (RFC 6750: no error code when no token was sent). */
  static Future<Void> badToken(Exchange ex, String realm, boolean sent, String code, String message) {
    String challenge = "Bearer realm=\"" + quoted(realm) + "\""
      + (sent ? ", error=\"invalid_token\", error_description=\"" + quoted(message) + "\"" : "");
    return unauthorized(ex, code, message, challenge);
  }

  static Future<Void> forbidden(Exchange ex, String message, Collection<String> missing) {
    return ex.respond(403, json(), Buffer.buffer(ApiError.body("forbidden", message, new JsonArray(java.util.List.copyOf(missing)),
      ex.ids().requestId()).encode()));
  }

  /** Nobody authenticated this request: a Require* filter without JwtAuth, ApiKey or BasicAuth before it. */
  static Future<Void> notAuthenticated(Exchange ex, String filter) {
    return unauthorized(ex, "unauthorized", filter + " needs an authenticated caller (JwtAuth, ApiKey or BasicAuth first)",
      "Bearer realm=\"junction\"");
  }

  static Future<Void> unavailable(Exchange ex, String message) {
    return ex.error(503, "unavailable", message);
  }

  private static MultiMap json() {
    return MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json").add("Cache-Control", "no-store");
  }

  /** Text safe inside a quoted-string: printable ASCII without quotes or backslashes, at most 200 characters. */
  static String quoted(String text) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < text.length() && b.length() < 200; i++) {
      char c = text.charAt(i);
      b.append(c >= 32 && c < 127 && c != '"' && c != '\\' ? c : '?');
    }
    return b.toString();
  }
}
