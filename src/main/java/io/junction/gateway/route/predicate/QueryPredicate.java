package io.junction.gateway.route.predicate;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code Query=red, gree.}: some value of the query parameter matches the
 * whole regexp. {@code Query=green}: the parameter is present (even as a bare
 * {@code ?green} or {@code ?green=}).
 */
public final class QueryPredicate implements RoutePredicate {

  private final String param;
  private final Pattern regexp;

  public QueryPredicate(String param, Pattern regexp) {
    this.param = param;
    this.regexp = regexp;
  }

  @Override
  public boolean test(RouteRequest request, MatchContext ctx) {
    List<String> values = request.queryParams(param);
    if (regexp == null) {
      return !values.isEmpty();
    }
    for (String value : values) {
      if (value != null && regexp.matcher(value).matches()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "Query " + param + (regexp == null ? "" : " ~ " + regexp);
  }

  public static final class Factory implements PredicateFactory {

    @Override
    public String name() {
      return "Query";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("param", "regexp");
    }

    @Override
    public RoutePredicate create(Args args) throws DefinitionException {
      return new QueryPredicate(args.requiredString("param"), args.optionalRegexp("regexp"));
    }
  }
}
