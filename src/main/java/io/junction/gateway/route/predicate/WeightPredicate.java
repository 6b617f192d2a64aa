package io.junction.gateway.route.predicate;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import java.util.List;

/**
 * {@code Weight=group1, 8}: this route gets its share of group1's traffic.
 * The predicate only carries group and weight; {@link WeightGroups}, built
 * from all routes, decides per request which route of each group is chosen
 * and the predicate checks that it is the route under test.
 */
public final class WeightPredicate implements RoutePredicate {

  private final String group;
  private final int weight;

  public WeightPredicate(String group, int weight) {
    this.group = group;
    this.weight = weight;
  }

  @Override
  public boolean test(RouteRequest request, MatchContext ctx) {
    String chosen = ctx.chosenRoute(group);
    return chosen != null && chosen.equals(ctx.routeId());
  }

  public String group() {
    return group;
  }

  public int weight() {
    return weight;
  }

  @Override
  public String toString() {
    return "Weight " + group + " " + weight;
  }

  public static final class Factory implements PredicateFactory {

    @Override
    public String name() {
      return "Weight";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("group", "weight");
    }

    /** Spring's expanded form prefixes the keys with {@code weight.}; both spellings work. */
    @Override
    public List<String> argNames() {
      return List.of("group", "weight", "weight.group", "weight.weight");
    }

    @Override
    public RoutePredicate create(Args args) throws DefinitionException {
      String groupKey = args.has("weight.group") ? "weight.group" : "group";
      String weightKey = args.has("weight.weight") ? "weight.weight" : "weight";
      int weight = args.requiredInteger(weightKey);
      if (weight < 0) {
        throw args.bad(weightKey, "must not be negative but is " + weight);
      }
      return new WeightPredicate(args.requiredString(groupKey), weight);
    }
  }
}
