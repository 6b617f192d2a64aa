package io.junction.gateway.route.predicate;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code JwtClaim=tenant, acme|globex} (Junction's own): a claim of the
 * verified JWT matches the whole regexp. Without a regexp the claim only has
 * to be present. No token, or no such claim, never matches.
 *
 * <p>A list claim ({@code roles: [a, b]}) matches when any element does;
 * numbers and booleans are matched as text. A name with dots that is not a
 * claim itself walks nested objects: {@code realm_access.roles}.
 */
public final class JwtClaimPredicate implements RoutePredicate {

  private final String claim;
  private final String[] claimPath;
  private final Pattern regexp;

  public JwtClaimPredicate(String claim, Pattern regexp) {
    this.claim = claim;
    this.claimPath = claim.split("\\.");
    this.regexp = regexp;
  }

  @Override
  public boolean test(RouteRequest request, MatchContext ctx) {
    Map<String, Object> claims = request.claims();
    if (claims == null) {
      return false;
    }
    Object value = claims.containsKey(claim) ? claims.get(claim) : nested(claims);
    return value != null && (regexp == null || matches(value));
  }

  private Object nested(Map<String, Object> claims) {
    Object current = claims;
    for (String key : claimPath) {
      if (current instanceof Map<?, ?> map) {
        current = map.get(key);
      } else if (current instanceof JsonObject json) {
        current = json.getValue(key);
      } else {
        return null;
      }
    }
    return current;
  }

  private boolean matches(Object value) {
    if (value instanceof Iterable<?> values) { // List or JsonArray
      for (Object element : values) {
        if (element != null && matches(element)) {
          return true;
        }
      }
      return false;
    }
    if (value instanceof Map || value instanceof JsonObject) {
      return false; // an object has no text to match
    }
    return regexp.matcher(value.toString()).matches();
  }

  @Override
  public String toString() {
    return "JwtClaim " + claim + (regexp == null ? "" : " ~ " + regexp);
  }

  public static final class Factory implements PredicateFactory {

    @Override
    public String name() {
      return "JwtClaim";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("claim", "regexp");
    }

    @Override
    public RoutePredicate create(Args args) throws DefinitionException {
      return new JwtClaimPredicate(args.requiredString("claim"), args.optionalRegexp("regexp"));
    }
  }
}
