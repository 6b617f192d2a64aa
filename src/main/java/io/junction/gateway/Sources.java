package io.junction.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the gateway's routes and services come from, and which wins: the config sections ({@code gateway},
 * {@code services}, file or ConfigMap) and the definitions the routes module stores (admin API). Stored ones are
 * appended after the config ones. On the same id, the config definition wins unless {@code routes.apiOverrides}
 * is true; the routes module refuses such writes in the first place, so a stored one is only shadowed when the
 * switch was turned off after it was written.
 */
final class Sources {
  private static final Pattern ROUTE_PROBLEM = Pattern.compile("^gateway\\.routes\\[(\\d+)\\]([^ :]*)(?: \\(route '[^']*'\\))?: (.*)$", Pattern.DOTALL);
  private static final Pattern SERVICE_PROBLEM = Pattern.compile("^services\\.([A-Za-z0-9._-]+?)((?:\\.|\\[)[^ :]*)?: (.*)$", Pattern.DOTALL);

  /**
   * The merged sections, and what is needed to tell the stored definitions' problems apart.
   *
   * @param configRoutes how many config routes come first in {@code gateway.routes}
   * @param storedRouteIds the ids of the stored routes, in the order they follow the config ones
   * @param storedServices the names of stored services in effect
   * @param shadowed stored ids the config keeps (apiOverrides off)
   */
  record Merged(JsonObject gateway, JsonObject services, int configRoutes, List<String> storedRouteIds,
                Set<String> storedServices, List<String> shadowed) {
  }

  private Sources() {
  }

  static Merged merge(JsonObject gateway, JsonObject services, JsonArray storedRoutes, JsonObject storedServices, boolean apiOverrides) {
    JsonObject g = gateway == null ? new JsonObject() : gateway.copy();
    Object configValue = g.getValue("routes");
    JsonArray config = configValue instanceof JsonArray a ? a : new JsonArray();
    Set<String> storedIds = new HashSet<>();
    for (int i = 0; i < storedRoutes.size(); i++) {
      storedIds.add(storedRoutes.getJsonObject(i).getString("id"));
    }
    Set<String> configIds = new HashSet<>();
    JsonArray merged = new JsonArray();
    for (Object route : config) {
      String id = route instanceof JsonObject o && o.getValue("id") != null ? String.valueOf(o.getValue("id")).trim() : null;
      if (id != null) {
        configIds.add(id);
      }
      if (apiOverrides && id != null && storedIds.contains(id)) {
        continue; // the stored route takes this one's place
      }
      merged.add(route);
    }
    int configCount = merged.size();
    List<String> order = new ArrayList<>();
    List<String> shadowed = new ArrayList<>();
    for (int i = 0; i < storedRoutes.size(); i++) {
      JsonObject route = storedRoutes.getJsonObject(i);
      String id = route.getString("id");
      if (!apiOverrides && configIds.contains(id)) {
        shadowed.add(id);
        continue;
      }
      merged.add(route);
      order.add(id);
    }
    if (configValue != null || !merged.isEmpty()) {
      g.put("routes", configValue != null && !(configValue instanceof JsonArray) ? configValue : merged);
    }
    JsonObject s = services == null ? new JsonObject() : services.copy();
    Set<String> effective = new HashSet<>();
    for (String name : storedServices.fieldNames()) {
      if (!apiOverrides && s.containsKey(name)) {
        shadowed.add("service:" + name);
        continue;
      }
      s.put(name, storedServices.getValue(name));
      effective.add(name);
    }
    return new Merged(g, s, configCount, order, effective, shadowed);
  }

  /**
   * The builder's problems as JSON: {@code {source, kind, id, field, message}}; for stored definitions
   * {@code field} is relative to the definition ({@code predicates[0]}, {@code uri}), so the admin API can name
   * the field of its request.
   */
  static JsonArray problems(List<String> problems, Merged merged) {
    JsonArray out = new JsonArray();
    for (String problem : problems) {
      Matcher r = ROUTE_PROBLEM.matcher(problem);
      Matcher s = SERVICE_PROBLEM.matcher(problem);
      if (r.matches()) {
        int index = Integer.parseInt(r.group(1));
        String rest = r.group(2).startsWith(".") ? r.group(2).substring(1) : r.group(2);
        if (index >= merged.configRoutes() && index - merged.configRoutes() < merged.storedRouteIds().size()) {
          out.add(entry("api", "route", merged.storedRouteIds().get(index - merged.configRoutes()), rest, r.group(3)));
        } else {
          out.add(entry("config", "route", null, "gateway.routes[" + index + "]" + r.group(2), r.group(3)));
        }
      } else if (s.matches() && merged.storedServices().contains(s.group(1))) {
        String rest = s.group(2) == null ? "" : s.group(2).startsWith(".") ? s.group(2).substring(1) : s.group(2);
        out.add(entry("api", "service", s.group(1), rest, s.group(3)));
      } else {
        int colon = problem.indexOf(": ");
        out.add(entry("config", problem.startsWith("services") ? "service" : "gateway", null,
          colon > 0 ? problem.substring(0, colon) : "", colon > 0 ? problem.substring(colon + 2) : problem));
      }
    }
    return out;
  }

  private static JsonObject entry(String source, String kind, String id, String field, String message) {
    return new JsonObject().put("source", source).put("kind", kind).put("id", id).put("field", field).put("message", message);
  }
}
