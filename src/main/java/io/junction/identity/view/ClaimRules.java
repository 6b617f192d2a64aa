package io.junction.identity.view;

/**
 * What a verified token's claims must say: {@code exp} present and not past, {@code nbf} (if any) reached —
 * both with {@code skewSeconds} of tolerance for clocks that disagree — and, when set, the issuer and an
 * audience. Null issuer or audience means "not checked".
 */
public record ClaimRules(String issuer, String audience, long skewSeconds) {

  public void check(VerifiedJws jws, long nowSeconds) {
    Long exp = jws.expiresAt();
    if (exp == null) {
      throw new TokenRejectedException("token_malformed", "the token has no exp claim");
    }
    if (nowSeconds - skewSeconds >= exp) {
      throw new TokenRejectedException("token_expired", "the token expired");
    }
    Long nbf = jws.notBefore();
    if (nbf != null && nowSeconds + skewSeconds < nbf) {
      throw new TokenRejectedException("token_not_yet_valid", "the token is not valid yet");
    }
    if (issuer != null && !issuer.equals(jws.issuer())) {
      throw new TokenRejectedException("token_issuer", "the token was not issued by " + issuer);
    }
    if (audience != null && !jws.audiences().contains(audience)) {
      throw new TokenRejectedException("token_audience", "the token is not meant for " + audience);
    }
  }
}
