package io.junction.identity;

import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/** Public keys as JWKs (RFC 7517) with an RFC 7638 thumbprint as the kid, and PEM encoding of keys. */
final class Jwk {
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private Jwk() {
  }

  static JsonObject of(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      JsonObject jwk = new JsonObject().put("kty", "RSA").put("n", b64(unsigned(rsa.getModulus(), 0)))
        .put("e", b64(unsigned(rsa.getPublicExponent(), 0)));
      String kid = thumbprint("{\"e\":\"" + jwk.getString("e") + "\",\"kty\":\"RSA\",\"n\":\"" + jwk.getString("n") + "\"}");
      return jwk.put("kid", kid).put("alg", "RS256").put("use", "sig");
    }
    if (key instanceof ECPublicKey ec) {
      if (ec.getParams().getCurve().getField().getFieldSize() != 256) {
        throw new IllegalArgumentException("only P-256 EC keys are supported (ES256)");
      }
      String x = b64(unsigned(ec.getW().getAffineX(), 32));
      String y = b64(unsigned(ec.getW().getAffineY(), 32));
      String kid = thumbprint("{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}");
      return new JsonObject().put("kty", "EC").put("crv", "P-256").put("x", x).put("y", y)
        .put("kid", kid).put("alg", "ES256").put("use", "sig");
    }
    throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm() + " (RSA or EC P-256 expected)");
  }

  static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  /** Reads a PEM public key (SubjectPublicKeyInfo), RSA or EC. */
  static PublicKey publicKey(String pem) {
    byte[] der = der(pem, "PUBLIC KEY");
    for (String algorithm : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
      } catch (Exception e) {
        // try the next key type
      }
    }
    throw new IllegalArgumentException("not an RSA or EC public key");
  }

  static byte[] der(String pem, String type) {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("expected a PEM block '" + begin + "'");
    }
    return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
  }

  private static String thumbprint(String canonical) {
    try {
      return b64(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] unsigned(BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    if (length > bytes.length) {
      byte[] padded = new byte[length];
      System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
      return padded;
    }
    return bytes;
  }

  private static String b64(byte[] bytes) {
    return URL.encodeToString(bytes);
  }
}
