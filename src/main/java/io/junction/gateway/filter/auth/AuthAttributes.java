package io.junction.gateway.filter.auth;

import io.junction.gateway.filter.Exchange;
import io.junction.observability.RequestContext;

/**
 * The exchange attributes authentication filters set for the filters after them.
 * <ul>
 *   <li>{@code user} — the caller's user id as a String (what RequestRateLimiter's {@code user} key resolver reads);</li>
 *   <li>{@code junction.principal} — the {@link Principal}: subject, roles, permissions, scopes, claims, method;</li>
 *   <li>{@code junction.token} — JwtAuth only: the {@link io.junction.identity.view.VerifiedToken}.</li>
 * </ul>
 */
public final class AuthAttributes {
  public static final String USER = "user";
  public static final String PRINCIPAL = "junction.principal";
  public static final String TOKEN = "junction.token";

  private AuthAttributes() {
  }

  static void signIn(Exchange exchange, Principal principal) {
    if (principal.subject() != null) {
      exchange.attributes().put(USER, principal.subject());
      RequestContext.user(principal.subject()); // user_id on the request's log lines
    }
    exchange.attributes().put(PRINCIPAL, principal);
  }

  /** The authenticated principal of this exchange, or null. */
  public static Principal principal(Exchange exchange) {
    return exchange.attributes().get(PRINCIPAL) instanceof Principal p ? p : null;
  }
}
