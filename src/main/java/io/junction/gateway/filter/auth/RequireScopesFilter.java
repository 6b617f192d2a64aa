package io.junction.gateway.filter.auth;

import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ShortcutType;

import java.util.List;

/**
 * {@code RequireScopes=a, b}: the authenticated caller must hold all of these scopes ({@code mode: all} by default;
 * {@code mode: any} in the expanded form), else 403 {@code forbidden} naming what is missing; 401 when no
 * JwtAuth, ApiKey or BasicAuth before it signed the request in. A token's scopes are its {@code scope} claim
 * (space-separated) or its {@code scp} claim (a list).
 */
public final class RequireScopesFilter extends Requirement {

  RequireScopesFilter(List<String> wanted, boolean all) {
    super("RequireScopes", "scopes", wanted, all, Principal::scopes);
  }

  public static final class Factory implements FilterFactory {
    @Override
    public String name() {
      return "RequireScopes";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("scopes");
    }

    @Override
    public ShortcutType shortcutType() {
      return ShortcutType.GATHER_LIST;
    }

    @Override
    public List<String> argNames() {
      return List.of("scopes", "mode");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      return new RequireScopesFilter(args.requiredStringList("scopes"), AuthArgs.all(args, true));
    }
  }
}
