package io.junction.gateway.filter.auth;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.Relayable;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What RequireRoles, RequirePermissions and RequireScopes share: the principal must hold any or all of a list
 * of names; 401 without a principal, 403 {@code forbidden} listing what is missing otherwise.
 */
abstract class Requirement implements Relayable {
  private final String filter;
  private final String noun;
  private final List<String> wanted;
  private final boolean all;
  private final Function<Principal, Set<String>> held;

  Requirement(String filter, String noun, List<String> wanted, boolean all, Function<Principal, Set<String>> held) {
    this.filter = filter;
    this.noun = noun;
    this.wanted = List.copyOf(wanted);
    this.all = all;
    this.held = held;
  }

  @Override
  public Future<Void> filter(Exchange ex, FilterChain chain) {
    Principal principal = AuthAttributes.principal(ex);
    if (principal == null) {
      return AuthResponses.notAuthenticated(ex, filter);
    }
    Set<String> has = held.apply(principal);
    List<String> missing = new ArrayList<>();
    for (String w : wanted) {
      if (!has.contains(w)) {
        missing.add(w);
      }
    }
    boolean ok = all ? missing.isEmpty() : missing.size() < wanted.size();
    if (ok) {
      return chain.next(ex);
    }
    String message = all ? "missing " + noun + ": " + String.join(", ", missing)
      : "needs one of the " + noun + ": " + String.join(", ", wanted);
    return AuthResponses.forbidden(ex, message, missing);
  }

  @Override
  public String toString() {
    return filter + " " + (all ? "all of " : "any of ") + wanted;
  }
}
