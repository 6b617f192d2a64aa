package io.junction.gateway.route.predicate;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ShortcutType;
import java.util.List;
import java.util.Locale;

/**
 * {@code Method=GET,POST}: the request method is one of these. Config values
 * are upper-cased ({@code get} works); the request method is compared as sent,
 * since HTTP methods are case-sensitive and the HTTP layer gives upper case.
 */
public final class MethodPredicate implements RoutePredicate {

  private final String[] methods;

  public MethodPredicate(List<String> methods) {
    this.methods = methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).toArray(String[]::new);
  }

  @Override
  public boolean test(RouteRequest request, MatchContext ctx) {
    String method = request.method();
    for (String m : methods) {
      if (m.equals(method)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "Method" + List.of(methods);
  }

  public static final class Factory implements PredicateFactory {

    @Override
    public String name() {
      return "Method";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("methods");
    }

    @Override
    public ShortcutType shortcutType() {
      return ShortcutType.GATHER_LIST;
    }

    @Override
    public RoutePredicate create(Args args) throws DefinitionException {
      List<String> methods = args.requiredStringList("methods");
      for (String method : methods) {
        if (!method.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
          throw args.bad("methods", "bad method '" + method + "'");
        }
      }
      return new MethodPredicate(methods);
    }
  }
}
