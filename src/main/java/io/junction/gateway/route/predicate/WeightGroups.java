package io.junction.gateway.route.predicate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits traffic between the routes of each {@code Weight} group, as Spring
 * Cloud Gateway's weight calculator: route i of a group owns the slice
 * [sum of earlier weights, that sum + its weight) of the group's total, in the
 * order the routes were added. A request's random draw r in [0, 1) picks the
 * route whose slice holds r × total. A weight of 0 owns nothing.
 *
 * <p>Whole-number arithmetic (instead of Spring's normalised doubles) means a
 * draw just below 1 can never fall past the last slice. Immutable.
 */
public final class WeightGroups {

  public static final WeightGroups EMPTY = new WeightGroups(Map.of());

  private final Map<String, Group> groups;

  private WeightGroups(Map<String, Group> groups) {
    this.groups = groups;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The route chosen in {@code group} for draw {@code r}, or null when the group is unknown or weighs 0. */
  public String choose(String group, double r) {
    Group g = groups.get(group);
    return g == null ? null : g.choose(r);
  }

  /** Cumulative slice bounds of a group normalised to [0, 1], as Spring reports them: {@code [0.0, 0.8, 1.0]}. */
  public List<Double> ranges(String group) {
    Group g = groups.get(group);
    if (g == null) {
      return List.of();
    }
    List<Double> out = new ArrayList<>();
    out.add(0.0);
    for (long bound : g.upperBounds) {
      out.add(g.total == 0 ? 0.0 : bound / (double) g.total);
    }
    return out;
  }

  public java.util.Set<String> groups() {
    return groups.keySet();
  }

  private record Group(String[] routeIds, long[] upperBounds, long total) {
    String choose(double r) {
      if (total == 0) {
        return null;
      }
      double point = Math.max(0, Math.min(r, Math.nextDown(1.0))) * total;
      for (int i = 0; i < routeIds.length; i++) {
        if (point < upperBounds[i]) {
          return routeIds[i];
        }
      }
      return routeIds[routeIds.length - 1]; // unreachable for r < 1; kept for safety
    }
  }

  /** Collects (group, route, weight) in route order. */
  public static final class Builder {

    private final Map<String, Map<String, Integer>> weights = new LinkedHashMap<>();

    /** A route listed twice in a group keeps its first place and its last weight. */
    public Builder add(String group, String routeId, int weight) {
      if (weight < 0) {
        throw new IllegalArgumentException("weight must not be negative: " + weight);
      }
      weights.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(routeId, weight);
      return this;
    }

    public WeightGroups build() {
      Map<String, Group> groups = new LinkedHashMap<>();
      weights.forEach((name, routes) -> {
        String[] ids = routes.keySet().toArray(String[]::new);
        long[] bounds = new long[ids.length];
        long total = 0;
        for (int i = 0; i < ids.length; i++) {
          total += routes.get(ids[i]);
          bounds[i] = total;
        }
        groups.put(name, new Group(ids, bounds, total));
      });
      return new WeightGroups(Collections.unmodifiableMap(groups));
    }
  }
}
