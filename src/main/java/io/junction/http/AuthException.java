package io.junction.http;

/** A request that is not authenticated: answered 401 with {@code code} and {@code message}, never a 500. */
public final class AuthException extends RuntimeException {
  private final String code;

  public AuthException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
