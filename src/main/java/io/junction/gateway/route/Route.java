package io.junction.gateway.route;

import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ItemDefinition;
import io.junction.gateway.route.definition.Numbers;
import io.junction.gateway.route.definition.RouteDefinition;
import io.junction.gateway.route.predicate.MatchContext;
import io.junction.gateway.route.predicate.PredicateRegistry;
import io.junction.gateway.route.predicate.RouteRequest;
import io.junction.gateway.route.predicate.RoutePredicate;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A route ready to serve: its definition with the URI parsed, predicates
 * built and timeouts read. Immutable; built once per config.
 */
public final class Route {

  public static final String RESPONSE_TIMEOUT = "response-timeout";
  public static final String CONNECT_TIMEOUT = "connect-timeout";

  private final RouteDefinition definition;
  private final URI uri;
  private final String serviceName;
  private final RoutePredicate[] predicates;
  private final OptionalLong responseTimeoutMillis;
  private final OptionalLong connectTimeoutMillis;

  private Route(RouteDefinition definition, URI uri, List<RoutePredicate> predicates) {
    this.definition = definition;
    this.uri = uri;
    this.serviceName = RouteUris.serviceName(uri);
    this.predicates = predicates.toArray(RoutePredicate[]::new);
    this.responseTimeoutMillis = millis(definition.metadata().get(RESPONSE_TIMEOUT));
    this.connectTimeoutMillis = millis(definition.metadata().get(CONNECT_TIMEOUT));
  }

  /** Builds a route from a definition that {@link RouteValidator} accepted. */
  public static Route compile(RouteDefinition definition, PredicateRegistry registry)
      throws DefinitionException {
    if (definition.id() == null) {
      throw new DefinitionException("route id is required");
    }
    URI uri = RouteUris.parse(definition.uri());
    List<RoutePredicate> predicates = new ArrayList<>();
    for (ItemDefinition predicate : definition.predicates()) {
      predicates.add(registry.create(predicate));
    }
    for (String key : List.of(RESPONSE_TIMEOUT, CONNECT_TIMEOUT)) {
      Object value = definition.metadata().get(key);
      if (value != null && timeoutMillis(value) == null) {
        throw new DefinitionException(timeoutProblem(key, value));
      }
    }
    return new Route(definition, uri, predicates);
  }

  /** A timeout in whole non-negative milliseconds, or null when {@code value} is not one. */
  static Long timeoutMillis(Object value) {
    Long millis = Numbers.parseLong(value);
    return millis == null || millis < 0 ? null : millis;
  }

  static String timeoutProblem(String key, Object value) {
    return key + " must be a non-negative whole number of milliseconds, not '" + value + "'";
  }

  private static OptionalLong millis(Object value) {
    Long millis = value == null ? null : timeoutMillis(value);
    return millis == null ? OptionalLong.empty() : OptionalLong.of(millis);
  }

  /** True when every predicate accepts the request (a route without predicates takes everything). */
  public boolean matches(RouteRequest request, MatchContext ctx) {
    for (RoutePredicate predicate : predicates) {
      if (!predicate.test(request, ctx)) {
        return false;
      }
    }
    return true;
  }

  public String id() {
    return definition.id();
  }

  public URI uri() {
    return uri;
  }

  /** The service of an {@code lb://} route, or null for other schemes. */
  public String serviceName() {
    return serviceName;
  }

  public int order() {
    return definition.order();
  }

  public List<RoutePredicate> predicates() {
    return List.of(predicates);
  }

  /** Filter definitions, in order, for the filter factories to build. */
  public List<ItemDefinition> filters() {
    return definition.filters();
  }

  public Map<String, Object> metadata() {
    return definition.metadata();
  }

  public OptionalLong responseTimeoutMillis() {
    return responseTimeoutMillis;
  }

  public OptionalLong connectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  public RouteDefinition definition() {
    return definition;
  }

  @Override
  public String toString() {
    return "Route " + id() + " -> " + uri + " " + List.of(predicates);
  }
}
