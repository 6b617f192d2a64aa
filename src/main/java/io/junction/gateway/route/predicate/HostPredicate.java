package io.junction.gateway.route.predicate;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ShortcutType;
import io.junction.gateway.route.path.HostPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code Host=**.somehost.org,{sub}.myhost.org}: the Host header matches one of
 * the patterns (see {@link HostPattern} for port and case handling); the first
 * match's variables are captured.
 */
public final class HostPredicate implements RoutePredicate {

  private final HostPattern[] patterns;

  public HostPredicate(List<HostPattern> patterns) {
    this.patterns = patterns.toArray(HostPattern[]::new);
  }

  @Override
  public boolean test(RouteRequest request, MatchContext ctx) {
    String host = request.host();
    if (host == null) {
      return false;
    }
    for (HostPattern pattern : patterns) {
      Map<String, String> vars = pattern.match(host);
      if (vars != null) {
        ctx.addVariables(vars);
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "Host" + List.of(patterns);
  }

  public static final class Factory implements PredicateFactory {

    @Override
    public String name() {
      return "Host";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("patterns");
    }

    @Override
    public ShortcutType shortcutType() {
      return ShortcutType.GATHER_LIST;
    }

    @Override
    public RoutePredicate create(Args args) throws DefinitionException {
      List<HostPattern> patterns = new ArrayList<>();
      for (String text : args.requiredStringList("patterns")) {
        try {
          patterns.add(HostPattern.parse(text));
        } catch (IllegalArgumentException e) {
          throw args.bad("patterns", e.getMessage());
        }
      }
      return new HostPredicate(patterns);
    }
  }
}
