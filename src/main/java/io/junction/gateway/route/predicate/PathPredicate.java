package io.junction.gateway.route.predicate;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ShortcutType;
import io.junction.gateway.route.path.PathPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code Path=/red/{segment},/blue/**}: the normalised path matches one of the
 * patterns (first match wins, its variables are captured). A trailing
 * {@code true}/{@code false} sets {@code matchTrailingSlash} (default true).
 */
public final class PathPredicate implements RoutePredicate {

  private final PathPattern[] patterns;

  public PathPredicate(List<PathPattern> patterns) {
    this.patterns = patterns.toArray(PathPattern[]::new);
  }

  @Override
  public boolean test(RouteRequest request, MatchContext ctx) {
    String path = request.path();
    if (path == null) {
      return false;
    }
    for (PathPattern pattern : patterns) {
      Map<String, String> vars = pattern.match(path);
      if (vars != null) {
        ctx.addVariables(vars);
        ctx.matchedPathPattern(pattern.toString());
        return true;
      }
    }
    return false;
  }

  public List<PathPattern> patterns() {
    return List.of(patterns);
  }

  @Override
  public String toString() {
    return "Path" + List.of(patterns) + (patterns.length > 0 && !patterns[0].matchTrailingSlash()
        ? " matchTrailingSlash=false" : "");
  }

  public static final class Factory implements PredicateFactory {

    @Override
    public String name() {
      return "Path";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("patterns", "matchTrailingSlash");
    }

    @Override
    public ShortcutType shortcutType() {
      return ShortcutType.GATHER_LIST_TAIL_FLAG;
    }

    @Override
    public RoutePredicate create(Args args) throws DefinitionException {
      boolean matchTrailingSlash = args.bool("matchTrailingSlash", true);
      List<PathPattern> patterns = new ArrayList<>();
      for (String text : args.requiredStringList("patterns")) {
        try {
          patterns.add(PathPattern.parse(text, matchTrailingSlash));
        } catch (IllegalArgumentException e) {
          throw args.bad("patterns", e.getMessage());
        }
      }
      return new PathPredicate(patterns);
    }
  }
}
