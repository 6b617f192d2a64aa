package io.junction.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * Mints real tokens for tests: RSA and EC key pairs generated here, their public JWKs, compact JWS signed with
 * the JDK (including the forgeries an attacker would try: {@code alg: none}, HS256 keyed with the RSA public
 * key), and identity snapshots in the shape the identity module publishes on the event bus.
 *
 * <pre>
 * TestTokens.Key key = TestTokens.rsa("k1");
 * TestTokens.publish(vertx, TestTokens.snapshot(1).key(key).role("viewer", "gateway.routes.read").json());
 * String token = key.token(TestTokens.claims("user-1", "viewer"));
 * </pre>
 */
public final class TestTokens {
  public static final String ISSUER = "junction";
  public static final String AUDIENCE = "junction";
  public static final String CHANGED_ADDRESS = "junction.identity.changed";
  public static final String SNAPSHOT_ADDRESS = "junction.identity.snapshot";

  private TestTokens() {
  }

  /** A signing key pair, the algorithm it signs with, and its kid. */
  public record Key(String kid, String alg, KeyPair pair) {

    /** The public JWK, as a JWKS or an identity snapshot lists it. */
    public JsonObject jwk() {
      JsonObject jwk = new JsonObject().put("kid", kid).put("alg", alg).put("use", "sig");
      if (pair.getPublic() instanceof RSAPublicKey rsa) {
        return jwk.put("kty", "RSA").put("n", b64(unsigned(rsa.getModulus()))).put("e", b64(unsigned(rsa.getPublicExponent())));
      }
      ECPublicKey ec = (ECPublicKey) pair.getPublic();
      int size = alg.equals("ES384") ? 48 : 32;
      return jwk.put("kty", "EC").put("crv", size == 48 ? "P-384" : "P-256")
        .put("x", b64(fixed(ec.getW().getAffineX(), size))).put("y", b64(fixed(ec.getW().getAffineY(), size)));
    }

    /** A token with the usual header {alg, kid, typ} and these claims. */
    public String token(JsonObject claims) {
      return sign(new JsonObject().put("alg", alg).put("kid", kid).put("typ", "JWT"), claims);
    }

    /** Signs header.payload exactly as given (the header may lie about alg or kid). */
    public String sign(JsonObject header, JsonObject claims) {
      String input = b64(header.encode()) + "." + b64(claims.encode());
      return input + "." + b64(signature(alg, input.getBytes(StandardCharsets.US_ASCII)));
    }

    private byte[] signature(String algorithm, byte[] input) {
      try {
        Signature s = switch (algorithm) {
          case "RS256" -> Signature.getInstance("SHA256withRSA");
          case "RS384" -> Signature.getInstance("SHA384withRSA");
          case "RS512" -> Signature.getInstance("SHA512withRSA");
          case "PS256" -> {
            Signature pss = Signature.getInstance("RSASSA-PSS");
            pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            yield pss;
          }
          case "ES256" -> Signature.getInstance("SHA256withECDSAinP1363Format");
          case "ES384" -> Signature.getInstance("SHA384withECDSAinP1363Format");
          default -> throw new IllegalArgumentException(algorithm);
        };
        s.initSign(pair.getPrivate());
        s.update(input);
        return s.sign();
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** An RSA 2048 key signing RS256 (or another RSA alg: RS384, RS512, PS256). */
  public static Key rsa(String kid) {
    return rsa(kid, "RS256");
  }

  public static Key rsa(String kid, String alg) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return new Key(kid, alg, g.generateKeyPair());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A P-256 key signing ES256. */
  public static Key ec(String kid) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return new Key(kid, "ES256", g.generateKeyPair());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The claims of a Junction access token for user sub with these roles, valid for 10 minutes from now. */
  public static JsonObject claims(String sub, String... roles) {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("iss", ISSUER).put("aud", AUDIENCE).put("sub", sub).put("iat", now).put("nbf", now)
      .put("exp", now + 600).put("jti", UUID.randomUUID().toString()).put("email", sub + "@example.com")
      .put("roles", new JsonArray(Arrays.asList((Object[]) roles))).put("permissions", new JsonArray());
  }

  /** An unsigned token: {@code {"alg":"none"}} and an empty signature. */
  public static String unsigned(JsonObject claims) {
    return b64(new JsonObject().put("alg", "none").put("typ", "JWT").encode()) + "." + b64(claims.encode()) + ".";
  }

  /** HS256 over the token with {@code secret} as the HMAC key — e.g. the bytes of an RSA public key (alg confusion). */
  public static String hs256(byte[] secret, String kid, JsonObject claims) {
    try {
      String input = b64(new JsonObject().put("alg", "HS256").put("kid", kid).put("typ", "JWT").encode()) + "." + b64(claims.encode());
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The PEM text of a public key, the "secret" an algorithm-confusion attacker uses. */
  public static byte[] publicKeyPem(Key key) {
    String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
      .encodeToString(key.pair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    return pem.getBytes(StandardCharsets.US_ASCII);
  }

  public static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String b64(String text) {
    return b64(text.getBytes(StandardCharsets.UTF_8));
  }

  /** base64url(SHA-256(key)): how the identity module stores an API key. */
  public static String apiKeyHash(String key) {
    try {
      return b64(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JWKS document {@code {"keys": [...]}}. */
  public static JsonObject jwks(Key... keys) {
    JsonArray list = new JsonArray();
    for (Key k : keys) {
      list.add(k.jwk());
    }
    return new JsonObject().put("keys", list);
  }

  public static Snapshot snapshot(long version) {
    return new Snapshot(version);
  }

  /** Publishes a snapshot on {@code junction.identity.changed}, as the identity module does on every change. */
  public static void publish(Vertx vertx, JsonObject snapshot) {
    vertx.eventBus().publish(CHANGED_ADDRESS, snapshot);
  }

  /** An identity snapshot in the event-bus contract's shape. */
  public static final class Snapshot {
    private final JsonObject json;

    private Snapshot(long version) {
      json = new JsonObject().put("version", version).put("issuer", ISSUER).put("audience", AUDIENCE).put("clockSkewSeconds", 30)
        .put("keys", new JsonArray()).put("roles", new JsonObject()).put("users", new JsonObject()).put("apiKeys", new JsonArray());
    }

    public Snapshot key(Key key) {
      json.getJsonArray("keys").add(key.jwk());
      return this;
    }

    public Snapshot role(String role, String... permissions) {
      json.getJsonObject("roles").put(role, new JsonArray(Arrays.asList((Object[]) permissions)));
      return this;
    }

    public Snapshot user(String id, long changedAtMs, boolean active, String... roles) {
      json.getJsonObject("users").put(id, new JsonObject().put("changedAt", changedAtMs).put("active", active)
        .put("roles", new JsonArray(Arrays.asList((Object[]) roles))));
      return this;
    }

    /** An API key (the plain key string; the snapshot carries only its hash). expiresAtMs may be null. */
    public Snapshot apiKey(String key, String userId, Long expiresAtMs, String... roles) {
      json.getJsonArray("apiKeys").add(new JsonObject().put("hash", apiKeyHash(key)).put("id", UUID.randomUUID().toString())
        .put("userId", userId).put("roles", new JsonArray(Arrays.asList((Object[]) roles))).put("expiresAt", expiresAtMs));
      return this;
    }

    public Snapshot set(String field, Object value) {
      json.put(field, value);
      return this;
    }

    public JsonObject json() {
      return json.copy();
    }
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] b = value.toByteArray();
    return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
  }

  private static byte[] fixed(BigInteger value, int size) {
    byte[] b = unsigned(value);
    byte[] out = new byte[size];
    System.arraycopy(b, 0, out, size - b.length, b.length);
    return out;
  }
}
