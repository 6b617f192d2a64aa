package io.junction.gateway.route.definition;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One route exactly as configured, before validation: plain data, so a bad
 * value is kept as written and reported by {@code RouteValidator}.
 *
 * @param id         unique route id (null when missing in config)
 * @param uri        target as written: {@code http(s)://host:port}, {@code lb://service}, {@code forward:/path}
 * @param order      lower runs first; routes with equal order keep config order
 * @param predicates all must match for the route to be chosen
 * @param filters    applied in order; built by the filter factories elsewhere
 * @param metadata   free-form; {@code response-timeout} and {@code connect-timeout} are milliseconds
 */
public record RouteDefinition(String id, String uri, int order, List<ItemDefinition> predicates,
    List<ItemDefinition> filters, Map<String, Object> metadata) {

  public RouteDefinition {
    predicates = predicates == null ? List.of() : List.copyOf(predicates);
    filters = filters == null ? List.of() : List.copyOf(filters);
    metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** The expanded form, as the admin API shows it. */
  public JsonObject toJson() {
    JsonArray predicateJson = new JsonArray();
    predicates.forEach(p -> predicateJson.add(p.toJson()));
    JsonArray filterJson = new JsonArray();
    filters.forEach(f -> filterJson.add(f.toJson()));
    return new JsonObject()
        .put("id", id)
        .put("uri", uri)
        .put("order", order)
        .put("predicates", predicateJson)
        .put("filters", filterJson)
        .put("metadata", new JsonObject(new LinkedHashMap<>(metadata)));
  }
}
