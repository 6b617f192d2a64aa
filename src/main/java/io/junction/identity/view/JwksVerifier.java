package io.junction.identity.view;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies compact JWS tokens against one immutable set of public JWKs (Junction's own, or an external
 * issuer's JWKS). The header is checked before any crypto: only RS256/384/512, PS256, ES256 and ES384 pass, and
 * only with a key of the matching type (and curve), so {@code alg: none} and HMAC tokens — including HS256
 * "signed" with the RSA public key — are refused outright. Symmetric keys in the set are ignored.
 *
 * <p>Signature checks (tens of microseconds for RSA) are remembered in a small bounded cache keyed by the whole
 * token string; a cached token still goes through {@link ClaimRules} on every use, so {@code exp} is honoured.
 * A new key set is a new verifier, so a removed key takes its cached tokens with it.
 */
public final class JwksVerifier {
  public static final int MAX_TOKEN_BYTES = 8192;
  static final int CACHE_SIZE = 4096;

  private final JsonArray source;
  private final Map<String, Jwk> byKid;
  private final List<Jwk> keys;
  private final List<String> problems;
  private final Cache<String, VerifiedJws> verified = Caffeine.newBuilder()
    .maximumSize(CACHE_SIZE).expireAfterWrite(Duration.ofMinutes(15)).build();

  private JwksVerifier(JsonArray source, List<Jwk> keys, List<String> problems) {
    this.source = source;
    this.keys = List.copyOf(keys);
    this.problems = List.copyOf(problems);
    Map<String, Jwk> index = new LinkedHashMap<>();
    for (Jwk k : keys) {
      if (k.kid() != null) {
        index.putIfAbsent(k.kid(), k);
      }
    }
    this.byKid = Collections.unmodifiableMap(index);
  }

  /** The usable keys of a JWK array; keys that cannot verify anything are skipped and named in {@link #problems}. */
  public static JwksVerifier of(JsonArray jwks) {
    List<Jwk> keys = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    JsonArray copy = jwks == null ? new JsonArray() : jwks.copy();
    for (int i = 0; i < copy.size(); i++) {
      Object entry = copy.getValue(i);
      if (!(entry instanceof JsonObject json)) {
        problems.add("keys[" + i + "]: not an object");
        continue;
      }
      try {
        Jwk key = Jwk.parse(json);
        if (key.kid() != null && keys.stream().anyMatch(k -> key.kid().equals(k.kid()))) {
          problems.add("keys[" + i + "]: kid '" + key.kid() + "' appears twice; the first one is used");
          continue;
        }
        keys.add(key);
      } catch (IllegalArgumentException e) {
        problems.add("keys[" + i + "]" + (json.getValue("kid") instanceof String kid ? " (kid " + kid + ")" : "") + ": " + e.getMessage());
      }
    }
    return new JwksVerifier(copy, keys, problems);
  }

  /** A JWKS document {@code {"keys": [...]}}; throws IllegalArgumentException when it is not one. */
  public static JwksVerifier parse(String jwksDocument) {
    try {
      Object keys = new JsonObject(jwksDocument).getValue("keys");
      if (!(keys instanceof JsonArray array)) {
        throw new IllegalArgumentException("no \"keys\" array");
      }
      return of(array);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("not JSON");
    }
  }

  /** The JWK array this verifier was built from (a copy; compare it to tell whether a key set changed). */
  public JsonArray source() {
    return source;
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  public Set<String> kids() {
    return byKid.keySet();
  }

  /** Why some keys of the set were not usable (empty when all were). */
  public List<String> problems() {
    return problems;
  }

  /** The kid in a token's header, or null when the token has none or cannot be read; never verifies anything. */
  public static String kidOf(String token) {
    try {
      int dot = token == null ? -1 : token.indexOf('.');
      if (dot <= 0 || token.length() > MAX_TOKEN_BYTES) {
        return null;
      }
      Object kid = new JsonObject(new String(Base64Url.decode(token.substring(0, dot)), StandardCharsets.UTF_8)).getValue("kid");
      return kid instanceof String s ? s : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Checks the token's form, algorithm, key and signature.
   *
   * @throws TokenRejectedException with the reason; never any other exception for any input
   */
  public VerifiedJws verify(String token) {
    if (token == null || token.isBlank()) {
      throw new TokenRejectedException("token_missing", "no token");
    }
    if (token.length() > MAX_TOKEN_BYTES) {
      throw new TokenRejectedException("token_too_large", "the token is larger than " + MAX_TOKEN_BYTES + " bytes");
    }
    VerifiedJws cached = verified.getIfPresent(token);
    if (cached != null) {
      return cached;
    }
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
      throw new TokenRejectedException("token_malformed", "not a compact JWS (header.payload.signature)");
    }
    JsonObject header = json(token.substring(0, first), "header");
    Object algValue = header.getValue("alg");
    String alg = algValue instanceof String s ? s : null;
    JwsAlgorithm algorithm = JwsAlgorithm.named(alg);
    if (algorithm == null) {
      String why = alg == null ? "the token names no algorithm"
        : alg.equalsIgnoreCase("none") ? "unsigned tokens (alg none) are not accepted"
        : alg.toUpperCase().startsWith("HS") ? "HMAC-signed tokens (" + alg + ") are not accepted"
        : "algorithm " + safe(alg) + " is not accepted";
      throw new TokenRejectedException("token_algorithm", why);
    }
    if (header.containsKey("crit")) {
      throw new TokenRejectedException("token_malformed", "critical header extensions are not supported");
    }
    byte[] payloadBytes = bytes(token.substring(first + 1, second), "payload");
    String sig = token.substring(second + 1);
    if (sig.isEmpty()) {
      throw new TokenRejectedException("token_signature", "the token is not signed");
    }
    byte[] signature = bytes(sig, "signature");
    Object kidValue = header.getValue("kid");
    if (kidValue != null && !(kidValue instanceof String)) {
      throw new TokenRejectedException("token_malformed", "kid must be a string");
    }
    String kid = (String) kidValue;
    Jwk key = kid != null ? byKid.get(kid) : onlyKeyFor(algorithm);
    if (key == null) {
      throw new TokenRejectedException("token_unknown_key", kid == null ? "the token names no key (kid)" : "unknown signing key " + safe(kid));
    }
    if (!algorithm.fits(key) || (key.alg() != null && !key.alg().equals(alg))) {
      throw new TokenRejectedException("token_algorithm", "algorithm " + alg + " does not match key " + safe(kid));
    }
    byte[] signingInput = token.substring(0, second).getBytes(StandardCharsets.US_ASCII);
    if (!algorithm.verify(key.key(), signingInput, signature)) {
      throw new TokenRejectedException("token_signature", "bad signature");
    }
    JsonObject payload;
    try {
      payload = new JsonObject(new String(payloadBytes, StandardCharsets.UTF_8));
    } catch (RuntimeException e) { // DecodeException, or Jackson's limits (nesting, sizes)
      throw new TokenRejectedException("token_malformed", "the payload is not a JSON object");
    }
    VerifiedJws jws = new VerifiedJws(kid, alg, payload);
    verified.put(token, jws);
    return jws;
  }

  private Jwk onlyKeyFor(JwsAlgorithm algorithm) {
    Jwk found = null;
    for (Jwk k : keys) {
      if (algorithm.fits(k)) {
        if (found != null) {
          return null; // ambiguous without a kid
        }
        found = k;
      }
    }
    return found;
  }

  private static JsonObject json(String part, String what) {
    byte[] raw = bytes(part, what);
    try {
      return new JsonObject(new String(raw, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new TokenRejectedException("token_malformed", "the " + what + " is not a JSON object");
    }
  }

  private static byte[] bytes(String part, String what) {
    try {
      return Base64Url.decode(part);
    } catch (IllegalArgumentException e) {
      throw new TokenRejectedException("token_malformed", "the " + what + " is not base64url");
    }
  }

  /** A value from the token, shortened and stripped of anything but plain characters, for messages. */
  static String safe(String text) {
    StringBuilder b = new StringBuilder("'");
    for (int i = 0; i < text.length() && i < 64; i++) {
      char c = text.charAt(i);
      b.append(c >= 32 && c < 127 && c != '"' && c != '\\' ? c : '?');
    }
    return b.append(text.length() > 64 ? "...'" : "'").toString();
  }
}
