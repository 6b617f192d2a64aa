package io.junction.gateway.filter.auth;

import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ShortcutType;

import java.util.List;

/**
 * {@code RequireRoles=a, b}: the authenticated caller must hold any of these roles ({@code mode: any} by default;
 * {@code mode: all} in the expanded form), else 403 {@code forbidden} naming what is missing; 401 when no
 * JwtAuth, ApiKey or BasicAuth before it signed the request in.
 */
public final class RequireRolesFilter extends Requirement {

  RequireRolesFilter(List<String> wanted, boolean all) {
    super("RequireRoles", "roles", wanted, all, Principal::roles);
  }

  public static final class Factory implements FilterFactory {
    @Override
    public String name() {
      return "RequireRoles";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("roles");
    }

    @Override
    public ShortcutType shortcutType() {
      return ShortcutType.GATHER_LIST;
    }

    @Override
    public List<String> argNames() {
      return List.of("roles", "mode");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      return new RequireRolesFilter(args.requiredStringList("roles"), AuthArgs.all(args, false));
    }
  }
}
