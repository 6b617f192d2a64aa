package io.junction.gateway.route.predicate;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import java.util.List;
import java.util.regex.Pattern;

/** {@code Cookie=chocolate, ch.p}: some cookie with this name has a value matching the whole regexp (required, as in Spring). */
public final class CookiePredicate implements RoutePredicate {

  private final String name;
  private final Pattern regexp;

  public CookiePredicate(String name, Pattern regexp) {
    this.name = name;
    this.regexp = regexp;
  }

  @Override
  public boolean test(RouteRequest request, MatchContext ctx) {
    for (String value : request.cookies(name)) {
      if (regexp.matcher(value).matches()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "Cookie " + name + " ~ " + regexp;
  }

  public static final class Factory implements PredicateFactory {

    @Override
    public String name() {
      return "Cookie";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("name", "regexp");
    }

    @Override
    public RoutePredicate create(Args args) throws DefinitionException {
      return new CookiePredicate(args.requiredString("name"), args.requiredRegexp("regexp"));
    }
  }
}
