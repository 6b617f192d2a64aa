package io.junction.identity.view;

import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * The signature algorithms a token may use, each bound to the one key type that can verify it. There is no
 * HMAC entry and no {@code none}: a token naming them is refused before any key is touched, and an RSA public
 * key can never be used as an HMAC secret (the classic algorithm-confusion attack).
 */
enum JwsAlgorithm {
  RS256("SHA256withRSA", null, 0),
  RS384("SHA384withRSA", null, 0),
  RS512("SHA512withRSA", null, 0),
  PS256("RSASSA-PSS", null, 0),
  ES256("SHA256withECDSAinP1363Format", "P-256", 64),
  ES384("SHA384withECDSAinP1363Format", "P-384", 96);

  private final String jca;
  private final String curve;
  private final int signatureLength;

  JwsAlgorithm(String jca, String curve, int signatureLength) {
    this.jca = jca;
    this.curve = curve;
    this.signatureLength = signatureLength;
  }

  /** The algorithm named by a JWS header, or null when it is not one Junction accepts. */
  static JwsAlgorithm named(String alg) {
    if (alg == null) {
      return null;
    }
    for (JwsAlgorithm a : values()) {
      if (a.name().equals(alg)) {
        return a;
      }
    }
    return null;
  }

  /** The curve an EC key must be on (P-256, P-384), or null for RSA algorithms. */
  String curve() {
    return curve;
  }

  boolean fits(Jwk key) {
    if (curve == null) {
      return key.key() instanceof RSAPublicKey;
    }
    return key.key() instanceof ECPublicKey && curve.equals(key.curve());
  }

  boolean verify(PublicKey key, byte[] signingInput, byte[] signature) {
    if (signatureLength > 0 && signature.length != signatureLength) {
      return false;
    }
    try {
      Signature s = Signature.getInstance(jca);
      if (this == PS256) {
        s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
      }
      s.initVerify(key);
      s.update(signingInput);
      return s.verify(signature);
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
