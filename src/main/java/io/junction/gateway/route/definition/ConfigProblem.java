package io.junction.gateway.route.definition;

/**
 * One thing wrong with a route configuration, reported instead of thrown so an
 * operator sees every mistake of a config at once.
 *
 * @param path    where in the config, e.g. {@code gateway.routes[2].predicates[0]}
 * @param routeId the id of the route it belongs to, or null when unknown
 * @param message what is wrong, in words an operator can act on
 */
public record ConfigProblem(String path, String routeId, String message) {

  @Override
  public String toString() {
    String where = routeId == null ? path : path + " (route '" + routeId + "')";
    return where + ": " + message;
  }
}
