package io.junction.identity.view;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An access token that is acceptable now: who it is for and what they may do. For Junction's own tokens the
 * roles are the ones in force now (a user's role change since the token was issued wins) and the permissions
 * are what those roles grant in the current identity snapshot; for an external issuer's tokens both come from
 * the token's claims.
 *
 * @param expiresAt {@code exp} in epoch seconds
 */
public record VerifiedToken(String subject, String email, Set<String> roles, Set<String> permissions, Set<String> scopes,
                            Map<String, Object> claims, long expiresAt, String issuer) {

  /**
   * The scopes a token grants: its {@code scope} claim (space-separated, OAuth 2) or, failing that, its
   * {@code scp} claim (a list or a space-separated string, as some IdPs send).
   */
  public static Set<String> scopesOf(Map<String, Object> claims) {
    Object scope = claims.get("scope");
    if (scope == null) {
      scope = claims.get("scp");
    }
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
    if (scope instanceof String s) {
      for (String part : s.trim().split("\\s+")) {
        if (!part.isEmpty()) {
          out.add(part);
        }
      }
    } else if (scope instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof String s && !s.isBlank()) {
          out.add(s.trim());
        }
      }
    }
    return Set.copyOf(out);
  }

  /** The strings of a list claim (non-strings are ignored); a single string counts as a one-element list. */
  public static Set<String> stringsOf(Object claim) {
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
    if (claim instanceof String s && !s.isBlank()) {
      out.add(s);
    } else if (claim instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof String s) {
          out.add(s);
        }
      }
    }
    return Set.copyOf(out);
  }
}
