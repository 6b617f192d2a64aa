package io.junction.gateway.filter.auth;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.Relayable;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.vertx.core.Future;

import java.util.List;

/**
 * {@code JwtClaimHeader=sub, X-User-Id}: sends a claim of the authenticated caller's token upstream as a header
 * (a dotted name walks nested objects: {@code realm_access.roles}; lists are joined with commas, objects sent
 * as JSON). Whatever the client sent in that header is dropped first, so an upstream can trust it; without the
 * claim (or without a signed-in caller) the header is simply absent.
 */
public final class JwtClaimHeaderFilter implements Relayable {
  private final String claim;
  private final String header;

  JwtClaimHeaderFilter(String claim, String header) {
    this.claim = claim;
    this.header = header;
  }

  @Override
  public Future<Void> filter(Exchange ex, FilterChain chain) {
    ex.requestHeaders().remove(header);
    Principal principal = AuthAttributes.principal(ex);
    String value = principal == null ? null : ClaimPaths.text(ClaimPaths.get(principal.claims(), claim));
    if (value != null && !value.isEmpty() && printable(value)) {
      ex.requestHeaders().set(header, value);
    }
    return chain.next(ex);
  }

  private static boolean printable(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 32 && c != '\t') || c == 127) {
        return false; // never let a claim split a header
      }
    }
    return value.length() <= 4096;
  }

  @Override
  public String toString() {
    return "JwtClaimHeader " + claim + " → " + header;
  }

  public static final class Factory implements FilterFactory {
    @Override
    public String name() {
      return "JwtClaimHeader";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("claim", "header");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      String claim = args.requiredString("claim");
      if (!args.has("header")) {
        throw args.missing("header");
      }
      return new JwtClaimHeaderFilter(claim, AuthArgs.headerName(args, "header", null));
    }
  }
}
