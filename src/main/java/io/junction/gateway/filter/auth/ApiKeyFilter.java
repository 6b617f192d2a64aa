package io.junction.gateway.filter.auth;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.Relayable;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.identity.view.ApiKeyOwner;
import io.junction.identity.view.IdentityView;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ApiKey}: the request must carry one of the API keys users were issued ({@code X-Api-Key} by default),
 * looked up by its hash in the identity snapshot — local, no call per request. The key's user is signed in with
 * the key's roles and the permissions they grant now; unknown, expired or revoked keys are answered 401
 * {@code invalid_api_key}.
 */
public final class ApiKeyFilter implements Relayable {
  private final IdentityView identity;
  private final String header;
  private final boolean stripKey;

  ApiKeyFilter(IdentityView identity, String header, boolean stripKey) {
    this.identity = identity;
    this.header = header;
    this.stripKey = stripKey;
  }

  @Override
  public Future<Void> filter(Exchange ex, FilterChain chain) {
    String key = ex.inbound().headers().get(header);
    String challenge = "ApiKey header=\"" + header + "\"";
    if (key == null || key.isBlank()) {
      return AuthResponses.unauthorized(ex, "api_key_missing", "an API key is required (" + header + ")", challenge);
    }
    if (identity == null || !identity.available()) {
      return AuthResponses.unavailable(ex, "API keys cannot be checked right now: identity data is not loaded");
    }
    ApiKeyOwner owner = identity.apiKey(key.trim());
    if (owner == null) {
      return AuthResponses.unauthorized(ex, "invalid_api_key", "unknown, expired or revoked API key", challenge);
    }
    AuthAttributes.signIn(ex, new Principal(owner.userId(), null, owner.roles(), owner.permissions(), Set.of(),
      Map.of("sub", owner.userId(), "key_id", owner.keyId() == null ? "" : owner.keyId()), "api-key"));
    if (stripKey) {
      ex.requestHeaders().remove(header);
    }
    return chain.next(ex);
  }

  @Override
  public String toString() {
    return "ApiKey " + header;
  }

  /** Args: {@code header} (X-Api-Key), {@code stripKey} (false). Shortcut: {@code ApiKey=X-Key}. */
  public static final class Factory implements FilterFactory {
    @Override
    public String name() {
      return "ApiKey";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("header");
    }

    @Override
    public List<String> argNames() {
      return List.of("header", "stripKey");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      return new ApiKeyFilter(context.identity(), AuthArgs.headerName(args, "header", "X-Api-Key"), args.bool("stripKey", false));
    }
  }
}
