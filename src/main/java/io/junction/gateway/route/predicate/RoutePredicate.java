package io.junction.gateway.route.predicate;

/**
 * One condition a request must meet for a route to be chosen. Implementations
 * are immutable, built once per config, and shared by all event loops, so a
 * test must not allocate more than it needs.
 */
@FunctionalInterface
public interface RoutePredicate {

  /**
   * @param ctx collects what a successful test learns (URI template
   *            variables) and knows the route under test and the weight draw
   */
  boolean test(RouteRequest request, MatchContext ctx);
}
