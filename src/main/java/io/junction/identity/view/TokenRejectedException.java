package io.junction.identity.view;

/**
 * A token that is not accepted, with a stable machine-readable code ({@code token_missing}, {@code token_malformed},
 * {@code token_too_large}, {@code token_algorithm}, {@code token_unknown_key}, {@code token_signature},
 * {@code token_expired}, {@code token_not_yet_valid}, {@code token_issuer}, {@code token_audience},
 * {@code token_revoked}, or {@code unavailable} when no keys are known yet). No stack trace: it is control flow.
 */
public final class TokenRejectedException extends RuntimeException {
  private final String code;

  public TokenRejectedException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
