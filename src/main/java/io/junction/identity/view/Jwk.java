package io.junction.identity.view;

import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;

/** One public signing key of a JWK set: its kid, the alg it is pinned to (if any), the JCA key. */
record Jwk(String kid, String alg, String curve, PublicKey key) {
  static final int MIN_RSA_BITS = 2048;

  /** Reads a JWK; throws IllegalArgumentException saying why a key cannot be used for verifying. */
  static Jwk parse(JsonObject json) {
    String kty = text(json, "kty");
    String use = text(json, "use");
    if (use != null && !use.equals("sig")) {
      throw new IllegalArgumentException("use '" + use + "' is not sig");
    }
    String kid = text(json, "kid");
    String alg = text(json, "alg");
    if (alg != null && JwsAlgorithm.named(alg) == null) {
      throw new IllegalArgumentException("alg '" + alg + "' is not accepted");
    }
    try {
      if ("RSA".equals(kty)) {
        BigInteger n = unsigned(json, "n");
        BigInteger e = unsigned(json, "e");
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
        if (((RSAPublicKey) key).getModulus().bitLength() < MIN_RSA_BITS) {
          throw new IllegalArgumentException("RSA key shorter than " + MIN_RSA_BITS + " bits");
        }
        return new Jwk(kid, alg, null, key);
      }
      if ("EC".equals(kty)) {
        String crv = text(json, "crv");
        String std = "P-256".equals(crv) ? "secp256r1" : "P-384".equals(crv) ? "secp384r1" : null;
        if (std == null) {
          throw new IllegalArgumentException("curve '" + crv + "' is not P-256 or P-384");
        }
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec(std));
        ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
        PublicKey key = KeyFactory.getInstance("EC")
          .generatePublic(new ECPublicKeySpec(new ECPoint(unsigned(json, "x"), unsigned(json, "y")), spec));
        return new Jwk(kid, alg, crv, key);
      }
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalArgumentException("not a valid " + kty + " key: " + e.getMessage());
    }
    throw new IllegalArgumentException("kty '" + kty + "' is not RSA or EC (symmetric keys are never used)");
  }

  private static String text(JsonObject json, String name) {
    Object v = json.getValue(name);
    return v instanceof String s ? s : null;
  }

  private static BigInteger unsigned(JsonObject json, String name) {
    String v = text(json, name);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("missing '" + name + "'");
    }
    return new BigInteger(1, Base64Url.decode(v));
  }
}
