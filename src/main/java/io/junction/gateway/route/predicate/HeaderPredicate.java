package io.junction.gateway.route.predicate;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code Header=X-Request-Id, \d+}: some value of the header (name ignoring
 * case) matches the whole regexp. Without a regexp the header only has to be
 * present, even empty. A header line is one value: {@code a, b} is not split.
 */
public final class HeaderPredicate implements RoutePredicate {

  private final String header;
  private final Pattern regexp;

  public HeaderPredicate(String header, Pattern regexp) {
    this.header = header;
    this.regexp = regexp;
  }

  @Override
  public boolean test(RouteRequest request, MatchContext ctx) {
    if (regexp == null) {
      return request.header(header) != null;
    }
    for (String value : request.headers(header)) {
      if (regexp.matcher(value).matches()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "Header " + header + (regexp == null ? "" : " ~ " + regexp);
  }

  public static final class Factory implements PredicateFactory {

    @Override
    public String name() {
      return "Header";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("header", "regexp");
    }

    @Override
    public RoutePredicate create(Args args) throws DefinitionException {
      return new HeaderPredicate(args.requiredString("header"), args.optionalRegexp("regexp"));
    }
  }
}
