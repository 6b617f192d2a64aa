package io.junction.gateway.route.definition;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code gateway.routes} (JSON as produced from YAML) into
 * {@link RouteDefinition}s. Only the shape is checked here; a route with a
 * shape problem is still returned (with what could be read) so validation can
 * report its other problems too. Callers reject the whole config when any
 * problem is reported.
 */
public final class RouteParser {

  public static final String DEFAULT_PATH = "gateway.routes";

  /** Stands in for an item that could not be read; its problem is already reported. */
  public static final ItemDefinition UNREADABLE = new ItemDefinition("", Map.of());

  private RouteParser() {
  }

  /** What was read, and what was wrong with it. */
  public record Result(List<RouteDefinition> routes, List<ConfigProblem> problems) {

    public Result {
      routes = List.copyOf(routes);
      problems = List.copyOf(problems);
    }

    public boolean ok() {
      return problems.isEmpty();
    }
  }

  public static Result parse(JsonArray routes) {
    return parse(routes, DEFAULT_PATH);
  }

  /** Parses a list of routes; {@code path} names the list in problems (e.g. {@code gateway.routes}). */
  public static Result parse(Object routes, String path) {
    List<RouteDefinition> out = new ArrayList<>();
    List<ConfigProblem> problems = new ArrayList<>();
    if (routes == null) {
      return new Result(out, problems);
    }
    if (!PlainJson.isArray(routes)) {
      problems.add(new ConfigProblem(path, null, "must be a list of routes"));
      return new Result(out, problems);
    }
    List<?> list = (List<?>) PlainJson.toPlain(routes);
    for (int i = 0; i < list.size(); i++) {
      String routePath = path + "[" + i + "]";
      Object route = list.get(i);
      if (!(route instanceof Map<?, ?> map)) {
        problems.add(new ConfigProblem(routePath, null, "a route must be an object"));
        continue;
      }
      out.add(parseRoute(map, routePath, problems));
    }
    return new Result(out, problems);
  }

  /** Parses one route object (e.g. from the admin API); {@code path} names it in problems. */
  public static Result parseOne(JsonObject route, String path) {
    List<ConfigProblem> problems = new ArrayList<>();
    RouteDefinition definition = parseRoute(route.getMap(), path, problems);
    return new Result(List.of(definition), problems);
  }

  private static RouteDefinition parseRoute(Map<?, ?> json, String path, List<ConfigProblem> problems) {
    String id = scalar(json.get("id"));
    String uri = scalar(json.get("uri"));
    int order = 0;
    Object orderValue = json.get("order");
    if (orderValue != null) {
      Long parsed = Numbers.parseLong(orderValue);
      if (parsed == null || parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE) {
        problems.add(new ConfigProblem(path + ".order", id, "bad integer '" + orderValue + "'"));
      } else {
        order = parsed.intValue();
      }
    }
    List<ItemDefinition> predicates = items(json.get("predicates"), path + ".predicates", id, problems);
    List<ItemDefinition> filters = items(json.get("filters"), path + ".filters", id, problems);
    Map<String, Object> metadata = Map.of();
    Object metadataValue = json.get("metadata");
    if (metadataValue != null) {
      if (metadataValue instanceof Map<?, ?> map) {
        metadata = PlainJson.toPlainMap(map);
      } else {
        problems.add(new ConfigProblem(path + ".metadata", id, "must be an object"));
      }
    }
    return new RouteDefinition(id, uri, order, predicates, filters, metadata);
  }

  private static List<ItemDefinition> items(Object value, String path, String routeId,
      List<ConfigProblem> problems) {
    List<ItemDefinition> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    if (!(value instanceof List<?> list)) {
      problems.add(new ConfigProblem(path, routeId, "must be a list"));
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      try {
        out.add(ItemDefinition.parse(list.get(i)));
      } catch (DefinitionException e) {
        problems.add(new ConfigProblem(path + "[" + i + "]", routeId, e.getMessage()));
        // keeps later items at their config index, so their problems name the right place
        out.add(UNREADABLE);
      }
    }
    return out;
  }

  // YAML turns `id: 42` into a number; an id or uri is text either way
  private static String scalar(Object value) {
    if (value == null || value instanceof Map || value instanceof List) {
      return null;
    }
    String text = value.toString().trim();
    return text.isEmpty() ? null : text;
  }
}
