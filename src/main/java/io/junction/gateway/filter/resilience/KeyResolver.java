package io.junction.gateway.filter.resilience;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.route.definition.DefinitionException;

/**
 * Which bucket a request draws from. {@code ip}: the client's socket address (behind a load balancer that is
 * the balancer; use {@code header:X-Real-Ip} only when the balancer sets it and clients cannot). {@code user}:
 * the exchange attribute {@code user} (a String set by authentication filters). {@code header:Name}: the
 * first inbound value of that header. {@code route}: one bucket for the whole route. Null or empty means
 * "no key" (see denyEmptyKey).
 */
@FunctionalInterface
interface KeyResolver {
  /** Exchange attribute that authentication filters set to the caller's user id. */
  String USER_ATTRIBUTE = "user";

  String resolve(Exchange exchange);

  static KeyResolver parse(String spec, String label) throws DefinitionException {
    String s = spec.trim();
    if (s.equalsIgnoreCase("ip")) {
      return Exchange::clientAddress;
    }
    if (s.equalsIgnoreCase("user")) {
      return ex -> ex.attributes().get(USER_ATTRIBUTE) instanceof String user ? user : null;
    }
    if (s.equalsIgnoreCase("route")) {
      return ex -> ex.route().id();
    }
    if (s.regionMatches(true, 0, "header:", 0, 7)) {
      String name = s.substring(7).trim();
      if (name.isEmpty() || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw ArgValues.bad(label, "'" + spec + "' needs a header name, e.g. header:X-Api-Key");
      }
      return ex -> ex.inbound().headers().get(name);
    }
    String hint = s.startsWith("#{") ? " (Spring bean expressions cannot be used here)" : "";
    throw ArgValues.bad(label, "unknown key resolver '" + spec + "'" + hint + " (expected ip, user, header:<Name> or route)");
  }
}
