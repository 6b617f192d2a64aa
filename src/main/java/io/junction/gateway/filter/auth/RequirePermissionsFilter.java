package io.junction.gateway.filter.auth;

import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ShortcutType;

import java.util.List;

/**
 * {@code RequirePermissions=a, b}: the authenticated caller must hold all of these permissions ({@code mode: all} by default;
 * {@code mode: any} in the expanded form), else 403 {@code forbidden} naming what is missing; 401 when no
 * JwtAuth, ApiKey or BasicAuth before it signed the request in.
 */
public final class RequirePermissionsFilter extends Requirement {

  RequirePermissionsFilter(List<String> wanted, boolean all) {
    super("RequirePermissions", "permissions", wanted, all, Principal::permissions);
  }

  public static final class Factory implements FilterFactory {
    @Override
    public String name() {
      return "RequirePermissions";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("permissions");
    }

    @Override
    public ShortcutType shortcutType() {
      return ShortcutType.GATHER_LIST;
    }

    @Override
    public List<String> argNames() {
      return List.of("permissions", "mode");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      return new RequirePermissionsFilter(args.requiredStringList("permissions"), AuthArgs.all(args, true));
    }
  }
}
