package io.junction.gateway.filter.auth;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.Relayable;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.identity.view.ClaimRules;
import io.junction.identity.view.IdentityView;
import io.junction.identity.view.TokenRejectedException;
import io.junction.identity.view.VerifiedJws;
import io.junction.identity.view.VerifiedToken;
import io.vertx.core.Future;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * {@code JwtAuth}: the request must carry a valid access token ({@code Authorization: Bearer <token>}). By
 * default the token is one of Junction's own, checked against the identity module's keys with the roles and
 * permissions in force now; with {@code jwksUri} it comes from an external issuer whose JWKS is fetched and
 * cached (roles and permissions then come from the token's claims). A good token signs the request in
 * ({@link AuthAttributes}); a bad one is answered 401 with {@code WWW-Authenticate: Bearer error="invalid_token"}.
 * Verification is local: no call per request (but a cached-JWKS refetch when an unknown kid shows up).
 */
public final class JwtAuthFilter implements Relayable {
  private final IdentityView identity;
  private final RemoteJwks remote;
  private final ClaimRules externalRules;
  private final String issuer;
  private final String audience;
  private final String header;
  private final boolean required;
  private final boolean stripToken;
  private final String rolesClaim;
  private final String permissionsClaim;

  private JwtAuthFilter(IdentityView identity, RemoteJwks remote, String issuer, String audience, Duration skew, String header,
                        boolean required, boolean stripToken, String rolesClaim, String permissionsClaim) {
    this.identity = identity;
    this.remote = remote;
    this.issuer = issuer;
    this.audience = audience;
    this.externalRules = remote == null ? null : new ClaimRules(issuer, audience, skew.toSeconds());
    this.header = header;
    this.required = required;
    this.stripToken = stripToken;
    this.rolesClaim = rolesClaim;
    this.permissionsClaim = permissionsClaim;
  }

  @Override
  public Future<Void> filter(Exchange ex, FilterChain chain) {
    String value = ex.inbound().headers().get(header);
    if (value == null || value.isBlank()) {
      if (!required) {
        return chain.next(ex);
      }
      return AuthResponses.badToken(ex, realm(), false, "token_missing", "an access token is required (" + header + ": Bearer <token>)");
    }
    String token = "Authorization".equalsIgnoreCase(header) ? IdentityView.bearerToken(value) : bare(value);
    if (token == null) {
      return AuthResponses.badToken(ex, realm(), true, "token_malformed", "the " + header + " header must be 'Bearer <token>'");
    }
    Future<VerifiedToken> verified;
    try {
      verified = remote == null ? Future.succeededFuture(self(token)) : remote.verify(token).map(this::external);
    } catch (TokenRejectedException e) {
      verified = Future.failedFuture(e);
    }
    return verified.transform(ar -> {
      if (ar.failed()) {
        if (ar.cause() instanceof TokenRejectedException e) {
          if ("unavailable".equals(e.code())) {
            return AuthResponses.unavailable(ex, "tokens cannot be checked right now: " + e.getMessage());
          }
          return AuthResponses.badToken(ex, realm(), true, e.code(), e.getMessage());
        }
        return Future.failedFuture(ar.cause());
      }
      VerifiedToken t = ar.result();
      ex.attributes().put(AuthAttributes.TOKEN, t);
      AuthAttributes.signIn(ex, new Principal(t.subject(), t.email(), t.roles(), t.permissions(), t.scopes(), t.claims(), "jwt"));
      if (stripToken) {
        ex.requestHeaders().remove(header);
      }
      return chain.next(ex);
    });
  }

  private VerifiedToken self(String token) {
    if (identity == null) {
      throw new TokenRejectedException("unavailable", "the identity module is not running");
    }
    return identity.verify(token, issuer, audience);
  }

  private VerifiedToken external(VerifiedJws jws) {
    externalRules.check(jws, System.currentTimeMillis() / 1000);
    Object email = jws.claims().get("email");
    return new VerifiedToken(jws.subject(), email instanceof String s ? s : null,
      VerifiedToken.stringsOf(ClaimPaths.get(jws.claims(), rolesClaim)),
      VerifiedToken.stringsOf(ClaimPaths.get(jws.claims(), permissionsClaim)),
      VerifiedToken.scopesOf(jws.claims()), jws.claims(), jws.expiresAt(), jws.issuer());
  }

  /** A custom header may carry the bare token or "Bearer <token>". */
  private static String bare(String value) {
    String bearer = IdentityView.bearerToken(value);
    return bearer != null ? bearer : value.trim();
  }

  private String realm() {
    return remote == null ? "junction" : issuer;
  }

  @Override
  public String toString() {
    return "JwtAuth " + (remote == null ? "junction" : remote.uri()) + (required ? "" : " (optional)");
  }

  /**
   * Args: {@code issuer}, {@code audience} (Junction's own tokens: default from the identity snapshot),
   * {@code jwksUri} (an external issuer; then {@code issuer} is required), {@code jwksRefresh} (5m),
   * {@code clockSkew} (30s; external issuers), {@code header} (Authorization), {@code required} (true),
   * {@code stripToken} (false), {@code rolesClaim} (roles), {@code permissionsClaim} (permissions).
   * Shortcut: {@code JwtAuth} or {@code JwtAuth=issuer, audience}.
   */
  public static final class Factory implements FilterFactory {
    @Override
    public String name() {
      return "JwtAuth";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("issuer", "audience");
    }

    @Override
    public List<String> argNames() {
      return List.of("issuer", "audience", "jwksUri", "jwksRefresh", "clockSkew", "header", "required", "stripToken",
        "rolesClaim", "permissionsClaim");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      String issuer = args.optionalString("issuer");
      String audience = args.optionalString("audience");
      String jwksUri = args.optionalString("jwksUri");
      Duration refresh = AuthArgs.duration(args, "jwksRefresh", Duration.ofMinutes(5));
      Duration skew = AuthArgs.duration(args, "clockSkew", Duration.ofSeconds(30));
      if (skew.toSeconds() > 3600) {
        throw args.bad("clockSkew", "at most 1h");
      }
      String header = AuthArgs.headerName(args, "header", "Authorization");
      boolean required = args.bool("required", true);
      boolean strip = args.bool("stripToken", false);
      String rolesClaim = args.optionalString("rolesClaim") == null ? "roles" : args.optionalString("rolesClaim");
      String permissionsClaim = args.optionalString("permissionsClaim") == null ? "permissions" : args.optionalString("permissionsClaim");
      RemoteJwks remote = null;
      if (jwksUri != null) {
        if (issuer == null) {
          throw args.bad("issuer", "an external issuer (jwksUri) needs the issuer its tokens carry in iss");
        }
        URI uri;
        try {
          uri = URI.create(jwksUri);
        } catch (IllegalArgumentException e) {
          throw args.bad("jwksUri", "not a URI: " + jwksUri);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
          throw args.bad("jwksUri", "expected an http(s) URL, not '" + jwksUri + "'");
        }
        if (refresh.toSeconds() < 1) {
          throw args.bad("jwksRefresh", "at least 1s");
        }
        JwksSources sources = context.jwks() != null ? context.jwks() : new JwksSources(context.vertx());
        remote = sources.get(jwksUri, refresh);
      } else {
        for (String externalOnly : List.of("jwksRefresh", "clockSkew", "rolesClaim", "permissionsClaim")) {
          if (args.has(externalOnly)) {
            throw args.bad(externalOnly, "only applies to an external issuer (jwksUri); Junction's own tokens use the"
              + " identity module's clock skew and the roles in force now");
          }
        }
      }
      return new JwtAuthFilter(context.identity(), remote, issuer, audience, skew, header, required, strip, rolesClaim, permissionsClaim);
    }
  }
}
