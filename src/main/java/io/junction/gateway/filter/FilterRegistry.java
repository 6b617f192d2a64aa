package io.junction.gateway.filter;

import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ItemDefinition;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Filter factories by name. Unknown names are config errors. */
public final class FilterRegistry {
  private final Map<String, FilterFactory> factories = new LinkedHashMap<>();

  private FilterRegistry(Collection<FilterFactory> all) {
    for (FilterFactory f : all) {
      if (factories.put(f.name(), f) != null) {
        throw new IllegalArgumentException("two filter factories named " + f.name());
      }
    }
  }

  public static FilterRegistry of(List<FilterFactory> factories) {
    return new FilterRegistry(factories);
  }

  /** Every built-in filter. */
  public static FilterRegistry defaults() {
    return of(BuiltInFilters.all());
  }

  public FilterFactory get(String name) {
    return factories.get(name);
  }

  public Collection<String> names() {
    return factories.keySet();
  }

  public GatewayFilter create(ItemDefinition definition, FilterContext context) throws DefinitionException {
    FilterFactory factory = factories.get(definition.name());
    if (factory == null) {
      throw new DefinitionException("unknown filter '" + definition.name() + "' (known: " + String.join(", ", factories.keySet()) + ")");
    }
    return factory.create(definition, context);
  }
}
