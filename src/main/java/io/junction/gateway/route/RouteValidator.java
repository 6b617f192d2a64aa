package io.junction.gateway.route;

import io.junction.gateway.route.definition.ConfigProblem;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ItemDefinition;
import io.junction.gateway.route.definition.RouteDefinition;
import io.junction.gateway.route.definition.RouteParser;
import io.junction.gateway.route.predicate.PredicateRegistry;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks route definitions for everything that would make a route unusable,
 * and reports all of it: missing or duplicate id, a uri that is missing, bad,
 * of another scheme or naming an unknown service, unknown predicates, bad
 * predicate arguments, and timeouts in metadata that are not whole
 * non-negative milliseconds. Filters are only checked for a name here; their
 * arguments belong to the filter factories.
 */
public final class RouteValidator {

  private final PredicateRegistry predicates;
  private final Set<String> serviceNames;

  /** @param serviceNames the services {@code lb://} URIs may name */
  public RouteValidator(PredicateRegistry predicates, Set<String> serviceNames) {
    this.predicates = predicates;
    this.serviceNames = Set.copyOf(serviceNames);
  }

  public List<ConfigProblem> validate(List<RouteDefinition> routes) {
    return validate(routes, RouteParser.DEFAULT_PATH);
  }

  /** @param basePath names the route list in problems, e.g. {@code gateway.routes} */
  public List<ConfigProblem> validate(List<RouteDefinition> routes, String basePath) {
    List<ConfigProblem> problems = new ArrayList<>();
    Map<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < routes.size(); i++) {
      RouteDefinition route = routes.get(i);
      String path = basePath + "[" + i + "]";
      if (route.id() != null) {
        Integer first = firstIndex.putIfAbsent(route.id(), i);
        if (first != null) {
          problems.add(new ConfigProblem(path + ".id", route.id(),
              "duplicate route id '" + route.id() + "' (also " + basePath + "[" + first + "])"));
        }
      }
      problems.addAll(validateRoute(route, path));
    }
    return problems;
  }

  /** Checks one route on its own (no duplicate-id check); {@code path} names it in problems. */
  public List<ConfigProblem> validateRoute(RouteDefinition route, String path) {
    List<ConfigProblem> problems = new ArrayList<>();
    String id = route.id();
    if (id == null || id.isBlank()) {
      problems.add(new ConfigProblem(path + ".id", null, "route id is required"));
    }
    checkUri(route, path, problems);
    for (int j = 0; j < route.predicates().size(); j++) {
      ItemDefinition predicate = route.predicates().get(j);
      String itemPath = path + ".predicates[" + j + "]";
      if (predicate == RouteParser.UNREADABLE) {
        continue; // already reported by the parser
      }
      try {
        predicates.create(predicate);
      } catch (DefinitionException e) {
        problems.add(new ConfigProblem(itemPath, id, e.getMessage()));
      }
    }
    for (int j = 0; j < route.filters().size(); j++) {
      ItemDefinition filter = route.filters().get(j);
      if (filter != RouteParser.UNREADABLE && filter.name().isBlank()) {
        problems.add(new ConfigProblem(path + ".filters[" + j + "]", id, "missing name"));
      }
    }
    for (String key : List.of(Route.RESPONSE_TIMEOUT, Route.CONNECT_TIMEOUT)) {
      Object value = route.metadata().get(key);
      if (route.metadata().containsKey(key) && Route.timeoutMillis(value) == null) {
        problems.add(new ConfigProblem(path + ".metadata." + key, id, Route.timeoutProblem(key, value)));
      }
    }
    return problems;
  }

  private void checkUri(RouteDefinition route, String path, List<ConfigProblem> problems) {
    try {
      URI uri = RouteUris.parse(route.uri());
      String service = RouteUris.serviceName(uri);
      if (service != null && !serviceNames.contains(service)) {
        problems.add(new ConfigProblem(path + ".uri", route.id(), "unknown service '" + service
            + "' in '" + route.uri() + "' (known: " + String.join(", ", new TreeSet<>(serviceNames))
            + ")"));
      }
    } catch (DefinitionException e) {
      problems.add(new ConfigProblem(path + ".uri", route.id(), e.getMessage()));
    }
  }
}
