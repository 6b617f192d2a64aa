package io.junction.identity.view;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JWS whose signature checked out against a known key: its claims (deeply unmodifiable: maps, lists, strings,
 * numbers, booleans) and the registered claims read once. Says nothing yet about time, issuer or audience —
 * {@link ClaimRules} does.
 */
public final class VerifiedJws {
  private final String kid;
  private final String alg;
  private final Map<String, Object> claims;
  private final String subject;
  private final String issuer;
  private final List<String> audiences;
  private final Long expiresAt;
  private final Long notBefore;
  private final Long issuedAt;

  VerifiedJws(String kid, String alg, JsonObject payload) {
    this.kid = kid;
    this.alg = alg;
    this.claims = plainMap(payload);
    this.subject = string(payload, "sub");
    this.issuer = string(payload, "iss");
    this.expiresAt = seconds(payload, "exp");
    this.notBefore = seconds(payload, "nbf");
    this.issuedAt = seconds(payload, "iat");
    Object aud = payload.getValue("aud");
    if (aud == null) {
      audiences = List.of();
    } else if (aud instanceof String s) {
      audiences = List.of(s);
    } else if (aud instanceof JsonArray a) {
      List<String> out = new ArrayList<>(a.size());
      for (Object o : a) {
        if (!(o instanceof String s)) {
          throw new TokenRejectedException("token_malformed", "claim aud must be a string or a list of strings");
        }
        out.add(s);
      }
      audiences = List.copyOf(out);
    } else {
      throw new TokenRejectedException("token_malformed", "claim aud must be a string or a list of strings");
    }
  }

  public String kid() {
    return kid;
  }

  public String alg() {
    return alg;
  }

  /** Every claim, unmodifiable all the way down (objects are Maps, arrays are Lists). */
  public Map<String, Object> claims() {
    return claims;
  }

  public String subject() {
    return subject;
  }

  public String issuer() {
    return issuer;
  }

  public List<String> audiences() {
    return audiences;
  }

  /** {@code exp} in epoch seconds, or null. */
  public Long expiresAt() {
    return expiresAt;
  }

  public Long notBefore() {
    return notBefore;
  }

  public Long issuedAt() {
    return issuedAt;
  }

  private static String string(JsonObject payload, String name) {
    Object v = payload.getValue(name);
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    throw new TokenRejectedException("token_malformed", "claim " + name + " must be a string");
  }

  private static Long seconds(JsonObject payload, String name) {
    Object v = payload.getValue(name);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
      return (long) Math.floor(n.doubleValue());
    }
    throw new TokenRejectedException("token_malformed", "claim " + name + " must be a number of seconds");
  }

  static Map<String, Object> plainMap(JsonObject json) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : json) {
      out.put(e.getKey(), plain(e.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  private static Object plain(Object value) {
    if (value instanceof JsonObject o) {
      return plainMap(o);
    }
    if (value instanceof JsonArray a) {
      List<Object> out = new ArrayList<>(a.size());
      for (Object o : a) {
        out.add(plain(o));
      }
      return Collections.unmodifiableList(out);
    }
    return value;
  }
}
