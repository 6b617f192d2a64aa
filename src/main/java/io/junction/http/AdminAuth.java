package io.junction.http;

/**
 * Turns the Authorization header of an admin request into a {@link Caller}. The identity module provides it;
 * verification is local (no database or event-bus call per request).
 */
public interface AdminAuth {
  /**
   * @param authorizationHeader the raw header value, possibly null
   * @throws AuthException when the header is missing or the token is not acceptable (401)
   */
  Caller authenticate(String authorizationHeader);
}
