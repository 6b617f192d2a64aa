package io.junction.gateway.route.predicate;

import java.util.Collections;
import java.util.Map;

/**
 * Per-request state shared by the predicates of the route being tested:
 * which route it is, the weight draw for {@code Weight} groups, and the URI
 * template variables {@code Path} and {@code Host} capture. Not thread-safe;
 * one per request. Call {@link #beginRoute} before testing each route so a
 * route that failed half-way leaves no variables behind.
 */
public final class MatchContext {

  private final WeightGroups weights;
  private final double weightDraw;
  private String routeId;
  private Map<String, String> variables;
  private String matchedPathPattern;

  /** A context without weight groups: every {@code Weight} predicate fails. */
  public MatchContext() {
    this(WeightGroups.EMPTY, 0);
  }

  /** @param weightDraw a random number in [0, 1), drawn once per request */
  public MatchContext(WeightGroups weights, double weightDraw) {
    this.weights = weights;
    this.weightDraw = weightDraw;
  }

  public MatchContext beginRoute(String routeId) {
    this.routeId = routeId;
    this.variables = null;
    this.matchedPathPattern = null;
    return this;
  }

  public String routeId() {
    return routeId;
  }

  /** The route this request goes to within a weight group, or null when the group is unknown. */
  public String chosenRoute(String group) {
    return weights.choose(group, weightDraw);
  }

  /** Adds captured variables; the map may be kept, so pass one nobody else changes. */
  public void addVariables(Map<String, String> captured) {
    if (captured.isEmpty()) {
      return;
    }
    if (variables == null) {
      variables = captured;
    } else {
      variables.putAll(captured);
    }
  }

  /** URI template variables captured so far (read-only; empty when none). */
  public Map<String, String> variables() {
    return variables == null ? Map.of() : Collections.unmodifiableMap(variables);
  }

  public void matchedPathPattern(String pattern) {
    this.matchedPathPattern = pattern;
  }

  /** The Path pattern that matched, e.g. for metrics tags; null when none did. */
  public String matchedPathPattern() {
    return matchedPathPattern;
  }
}
