package io.junction.gateway.route;

import io.junction.gateway.route.definition.ConfigProblem;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.RouteDefinition;
import io.junction.gateway.route.definition.RouteParser;
import io.junction.gateway.route.predicate.PredicateRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Config to route table in one step: parse, validate, compile. A config with
 * any problem yields no table, so the caller keeps serving the last good one.
 */
public final class RouteLoader {

  private RouteLoader() {
  }

  /** @param table null when there are problems */
  public record Result(RouteTable table, List<RouteDefinition> definitions, List<ConfigProblem> problems) {

    public Result {
      definitions = List.copyOf(definitions);
      problems = List.copyOf(problems);
    }

    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** @param routes the value of {@code gateway.routes} (JsonArray, List or null) */
  public static Result load(Object routes, Set<String> serviceNames, PredicateRegistry registry) {
    return load(routes, RouteParser.DEFAULT_PATH, serviceNames, registry);
  }

  public static Result load(Object routes, String basePath, Set<String> serviceNames,
      PredicateRegistry registry) {
    RouteParser.Result parsed = RouteParser.parse(routes, basePath);
    List<ConfigProblem> problems = new ArrayList<>(parsed.problems());
    problems.addAll(new RouteValidator(registry, serviceNames).validate(parsed.routes(), basePath));
    if (!problems.isEmpty()) {
      return new Result(null, parsed.routes(), problems);
    }
    try {
      return new Result(RouteTable.compile(parsed.routes(), registry), parsed.routes(), problems);
    } catch (DefinitionException e) {
      // the validator runs the same checks; reaching here means they drifted apart
      throw new IllegalStateException("validated routes failed to compile: " + e.getMessage(), e);
    }
  }
}
