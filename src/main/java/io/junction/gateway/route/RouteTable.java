package io.junction.gateway.route;

import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.RouteDefinition;
import io.junction.gateway.route.predicate.MatchContext;
import io.junction.gateway.route.predicate.PredicateRegistry;
import io.junction.gateway.route.predicate.RoutePredicate;
import io.junction.gateway.route.predicate.RouteRequest;
import io.junction.gateway.route.predicate.WeightGroups;
import io.junction.gateway.route.predicate.WeightPredicate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * All routes of one config, in the order they are tried: by {@code order},
 * then as written. The first route whose predicates all match wins.
 * Immutable: a config change builds a new table and swaps it in.
 */
public final class RouteTable {

  public static final RouteTable EMPTY = of(List.of());

  private final Route[] routes;
  private final Map<String, Route> byId;
  private final WeightGroups weights;

  private RouteTable(Route[] routes, Map<String, Route> byId, WeightGroups weights) {
    this.routes = routes;
    this.byId = byId;
    this.weights = weights;
  }

  /** @param routes in config order (which also orders routes within a weight group) */
  public static RouteTable of(List<Route> routes) {
    WeightGroups.Builder weights = WeightGroups.builder();
    Map<String, Route> byId = new LinkedHashMap<>();
    for (Route route : routes) {
      if (byId.put(route.id(), route) != null) {
        throw new IllegalArgumentException("duplicate route id " + route.id());
      }
      for (RoutePredicate predicate : route.predicates()) {
        if (predicate instanceof WeightPredicate w) {
          weights.add(w.group(), route.id(), w.weight());
        }
      }
    }
    List<Route> sorted = new ArrayList<>(routes);
    sorted.sort(Comparator.comparingInt(Route::order)); // List.sort is stable
    return new RouteTable(sorted.toArray(Route[]::new), byId, weights.build());
  }

  /** Compiles definitions that {@link RouteValidator} accepted. */
  public static RouteTable compile(List<RouteDefinition> definitions, PredicateRegistry registry)
      throws DefinitionException {
    List<Route> routes = new ArrayList<>();
    for (RouteDefinition definition : definitions) {
      routes.add(Route.compile(definition, registry));
    }
    return of(routes);
  }

  /** The first matching route, drawing the weight-group random number here; null when none match. */
  public RouteMatch find(RouteRequest request) {
    return find(request, ThreadLocalRandom.current().nextDouble());
  }

  /** @param weightDraw in [0, 1); one draw serves every weight group of this request */
  public RouteMatch find(RouteRequest request, double weightDraw) {
    MatchContext ctx = new MatchContext(weights, weightDraw);
    for (Route route : routes) {
      if (route.matches(request, ctx.beginRoute(route.id()))) {
        return new RouteMatch(route, ctx.variables(), ctx.matchedPathPattern());
      }
    }
    return null;
  }

  /** Routes in the order they are tried. */
  public List<Route> routes() {
    return List.of(routes);
  }

  public Route route(String id) {
    return byId.get(id);
  }

  public WeightGroups weights() {
    return weights;
  }
}
