package io.junction.gateway.upstream;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The instances a set of EndpointSlices (discovery.k8s.io/v1) stands for: every address of every ready endpoint,
 * at the configured port.
 *
 * <p>Ready means {@code conditions.ready} is not false (Kubernetes says to read a missing condition as ready) and
 * the endpoint is not terminating. A terminating pod that still serves ({@code serving: true}) is left out too:
 * it is draining, and kube-proxy itself only falls back to such endpoints when nothing else is left.
 */
final class EndpointSlices {
  private EndpointSlices() {
  }

  /** The ready endpoints, without duplicates (one address may sit in two slices for a moment), sorted. */
  static List<Endpoint> ready(Collection<JsonObject> slices, KubernetesDiscovery spec) {
    Set<Endpoint> out = new LinkedHashSet<>();
    for (JsonObject slice : slices) {
      int port = spec.portNumber() > 0 ? spec.portNumber() : port(slice.getJsonArray("ports"), spec.portName());
      if (port <= 0) {
        continue; // this slice does not carry the port (or names it differently): nothing to use in it
      }
      JsonArray endpoints = slice.getJsonArray("endpoints");
      if (endpoints == null) {
        continue;
      }
      for (Object item : endpoints) {
        if (!(item instanceof JsonObject endpoint) || !ready(endpoint.getJsonObject("conditions"))) {
          continue;
        }
        JsonArray addresses = endpoint.getJsonArray("addresses");
        if (addresses == null) {
          continue;
        }
        for (Object address : addresses) {
          if (address instanceof String host && !host.isBlank()) {
            out.add(new Endpoint(host.trim().toLowerCase(Locale.ROOT), port));
          }
        }
      }
    }
    List<Endpoint> sorted = new ArrayList<>(out);
    sorted.sort((a, b) -> a.host().equals(b.host()) ? Integer.compare(a.port(), b.port()) : a.host().compareTo(b.host()));
    return sorted;
  }

  private static boolean ready(JsonObject conditions) {
    if (conditions == null) {
      return true;
    }
    return !Boolean.FALSE.equals(conditions.getValue("ready")) && !Boolean.TRUE.equals(conditions.getValue("terminating"));
  }

  /**
   * The TCP port named {@code name}; with no name, the slice's only TCP port. 0 when there is none (or, without a
   * name, more than one: which one would be a guess).
   */
  private static int port(JsonArray ports, String name) {
    if (ports == null) {
      return 0;
    }
    int found = 0;
    int count = 0;
    for (Object item : ports) {
      if (!(item instanceof JsonObject port) || !"TCP".equals(port.getString("protocol", "TCP"))) {
        continue;
      }
      if (!(port.getValue("port") instanceof Number value) || value.intValue() < 1 || value.intValue() > 65535) {
        continue;
      }
      int number = value.intValue();
      count++;
      if (name != null && name.equals(port.getString("name"))) {
        return number;
      }
      found = number;
    }
    return name == null && count == 1 ? found : 0;
  }
}
