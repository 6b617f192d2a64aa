package io.junction.gateway.route.predicate;

import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ItemDefinition;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Predicate factories by config name. Immutable once built; names are case-sensitive, as in Spring. */
public final class PredicateRegistry {

  private final Map<String, PredicateFactory> factories;

  private PredicateRegistry(Map<String, PredicateFactory> factories) {
    this.factories = Collections.unmodifiableMap(new LinkedHashMap<>(factories));
  }

  /** Every built-in predicate, reading time from the system clock. */
  public static PredicateRegistry defaults() {
    return defaults(Clock.systemUTC());
  }

  /** Every built-in predicate; After, Before and Between read time from {@code clock}. */
  public static PredicateRegistry defaults(Clock clock) {
    return of(List.of(
        new AfterPredicate.Factory(clock),
        new BeforePredicate.Factory(clock),
        new BetweenPredicate.Factory(clock),
        new CookiePredicate.Factory(),
        new HeaderPredicate.Factory(),
        new HostPredicate.Factory(),
        new JwtClaimPredicate.Factory(),
        new MethodPredicate.Factory(),
        new PathPredicate.Factory(),
        new QueryPredicate.Factory(),
        new RemoteAddrPredicate.Factory(),
        new WeightPredicate.Factory(),
        new XForwardedRemoteAddrPredicate.Factory()));
  }

  public static PredicateRegistry of(List<PredicateFactory> factories) {
    Map<String, PredicateFactory> byName = new LinkedHashMap<>();
    for (PredicateFactory factory : factories) {
      if (byName.put(factory.name(), factory) != null) {
        throw new IllegalArgumentException("two predicate factories named " + factory.name());
      }
    }
    return new PredicateRegistry(byName);
  }

  /** A copy with {@code factory} added (or replacing the one of the same name). */
  public PredicateRegistry with(PredicateFactory factory) {
    Map<String, PredicateFactory> copy = new LinkedHashMap<>(factories);
    copy.put(factory.name(), factory);
    return new PredicateRegistry(copy);
  }

  /** The factory for {@code name}, or null. */
  public PredicateFactory get(String name) {
    return factories.get(name);
  }

  public Set<String> names() {
    return factories.keySet();
  }

  /** Builds the predicate a definition describes; fails on an unknown name or bad arguments. */
  public RoutePredicate create(ItemDefinition definition) throws DefinitionException {
    PredicateFactory factory = factories.get(definition.name());
    if (factory == null) {
      throw new DefinitionException("unknown predicate '" + definition.name() + "' (known: "
          + String.join(", ", factories.keySet()) + ")");
    }
    try {
      return factory.create(definition);
    } catch (DefinitionException e) {
      throw new DefinitionException(definition.name() + ": " + e.getMessage());
    }
  }
}
