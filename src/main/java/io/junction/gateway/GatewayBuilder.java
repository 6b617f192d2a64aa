package io.junction.gateway;

import io.junction.config.Durations;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterRegistry;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.web.GlobalCors;
import io.junction.gateway.proxy.GatewaySnapshot;
import io.junction.gateway.proxy.RouteUpstreams;
import io.junction.gateway.proxy.UpstreamTls;
import io.junction.gateway.route.Route;
import io.junction.gateway.route.RouteLoader;
import io.junction.gateway.route.definition.ConfigProblem;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ItemDefinition;
import io.junction.gateway.route.net.CidrBlock;
import io.junction.gateway.route.predicate.PredicateRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Config to snapshot: validates the whole {@code gateway} section (routes, default-filters, httpclient) against
 * the services, builds every filter, and returns either a snapshot or the list of problems — never half of one.
 */
final class GatewayBuilder {
  private static final Set<String> KEYS = Set.of("routes", "default-filters", "httpclient", "trusted-proxies", "globalcors");
  private static final Set<String> CLIENT_KEYS = Set.of("connect-timeout", "response-timeout", "ssl");
  private static final Set<String> SSL_KEYS = Set.of("trusted-x509-certificates", "use-insecure-trust-manager");
  static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
  static final long DEFAULT_RESPONSE_TIMEOUT_MS = 30_000;

  record Result(GatewaySnapshot snapshot, List<String> problems) {
  }

  private final PredicateRegistry predicates = PredicateRegistry.defaults();
  private final FilterRegistry filters = FilterRegistry.defaults();

  /**
   * @param contexts the filter context for a route id
   * @param services the load-balanced services of this config (their names are what lb:// may name)
   */
  Result build(JsonObject gateway, Set<String> serviceNames, RouteUpstreams.Services services, Function<String, FilterContext> contexts) {
    List<String> problems = new ArrayList<>();
    for (String key : gateway.fieldNames()) {
      if (!KEYS.contains(key)) {
        problems.add("gateway." + key + ": unknown key (known: routes, default-filters, httpclient, trusted-proxies, globalcors)");
      }
    }
    JsonObject client = section(gateway, "httpclient", problems);
    long connectTimeout = duration(client, "connect-timeout", DEFAULT_CONNECT_TIMEOUT_MS, problems);
    long responseTimeout = duration(client, "response-timeout", DEFAULT_RESPONSE_TIMEOUT_MS, problems);
    for (String key : client.fieldNames()) {
      if (!CLIENT_KEYS.contains(key)) {
        problems.add("gateway.httpclient." + key + ": unknown key (known: connect-timeout, response-timeout, ssl)");
      }
    }
    UpstreamTls tls = upstreamTls(client.getValue("ssl"), problems);
    List<ItemDefinition> defaults = defaultFilters(gateway.getValue("default-filters"), problems);
    List<CidrBlock> trusted = trustedProxies(gateway.getValue("trusted-proxies"), problems);
    GlobalCors cors = GlobalCors.NONE;
    Object globalCors = gateway.getValue("globalcors");
    if (globalCors instanceof JsonObject corsConfig) {
      cors = GlobalCors.parse(corsConfig, "gateway.globalcors", problems);
    } else if (globalCors != null) {
      problems.add("gateway.globalcors: expected an object of path pattern → CORS settings");
    }
    RouteLoader.Result routes = RouteLoader.load(gateway.getValue("routes"), "gateway.routes", serviceNames, predicates);
    for (ConfigProblem p : routes.problems()) {
      problems.add(p.toString());
    }
    if (!problems.isEmpty()) {
      return new Result(null, problems);
    }
    Map<String, GatewayFilter[]> chains = new HashMap<>();
    List<Route> all = routes.table().routes();
    for (int i = 0; i < routes.definitions().size(); i++) {
      String id = routes.definitions().get(i).id();
      Route route = routes.table().route(id);
      List<GatewayFilter> chain = new ArrayList<>();
      FilterContext context = contexts.apply(id);
      for (int d = 0; d < defaults.size(); d++) {
        create(defaults.get(d), context, "gateway.default-filters[" + d + "] (route '" + id + "')", chain, problems);
      }
      for (int f = 0; f < route.filters().size(); f++) {
        create(route.filters().get(f), context, "gateway.routes[" + i + "].filters[" + f + "] (route '" + id + "')", chain, problems);
      }
      chains.put(id, chain.toArray(GatewayFilter[]::new));
    }
    if (!problems.isEmpty()) {
      return new Result(null, problems);
    }
    return new Result(new GatewaySnapshot(routes.table(), Map.copyOf(chains), new RouteUpstreams(all, services),
      connectTimeout, responseTimeout, trusted, tls, cors), List.of());
  }

  private void create(ItemDefinition definition, FilterContext context, String where, List<GatewayFilter> chain, List<String> problems) {
    try {
      chain.add(filters.create(definition, context));
    } catch (DefinitionException e) {
      problems.add(where + ": " + definition.name() + ": " + e.getMessage());
    }
  }

  private static List<ItemDefinition> defaultFilters(Object value, List<String> problems) {
    List<ItemDefinition> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    if (!(value instanceof JsonArray array)) {
      problems.add("gateway.default-filters: expected a list of filters");
      return out;
    }
    for (int i = 0; i < array.size(); i++) {
      try {
        out.add(ItemDefinition.parse(array.getValue(i)));
      } catch (DefinitionException e) {
        problems.add("gateway.default-filters[" + i + "]: " + e.getMessage());
      }
    }
    return out;
  }

  private static UpstreamTls upstreamTls(Object value, List<String> problems) {
    if (value == null) {
      return UpstreamTls.DEFAULT;
    }
    if (!(value instanceof JsonObject ssl)) {
      problems.add("gateway.httpclient.ssl: expected an object");
      return UpstreamTls.DEFAULT;
    }
    for (String key : ssl.fieldNames()) {
      if (!SSL_KEYS.contains(key)) {
        problems.add("gateway.httpclient.ssl." + key + ": unknown key (known: trusted-x509-certificates, use-insecure-trust-manager)");
      }
    }
    List<String> certificates = new ArrayList<>();
    Object listed = ssl.getValue("trusted-x509-certificates");
    if (listed instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        String path = String.valueOf(array.getValue(i));
        if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(path))) {
          problems.add("gateway.httpclient.ssl.trusted-x509-certificates[" + i + "]: file " + path + " does not exist or cannot be read");
        }
        certificates.add(path);
      }
    } else if (listed != null) {
      problems.add("gateway.httpclient.ssl.trusted-x509-certificates: expected a list of PEM file paths");
    }
    Object insecure = ssl.getValue("use-insecure-trust-manager", false);
    if (!(insecure instanceof Boolean)) {
      problems.add("gateway.httpclient.ssl.use-insecure-trust-manager: expected true or false");
      insecure = false;
    }
    return new UpstreamTls(List.copyOf(certificates), (Boolean) insecure);
  }

  private static List<CidrBlock> trustedProxies(Object value, List<String> problems) {
    List<CidrBlock> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    if (!(value instanceof JsonArray array)) {
      problems.add("gateway.trusted-proxies: expected a list of CIDR blocks such as 10.0.0.0/8");
      return out;
    }
    for (int i = 0; i < array.size(); i++) {
      try {
        out.add(CidrBlock.parse(String.valueOf(array.getValue(i))));
      } catch (RuntimeException e) {
        problems.add("gateway.trusted-proxies[" + i + "]: '" + array.getValue(i) + "' is not a CIDR block: " + e.getMessage());
      }
    }
    return List.copyOf(out);
  }

  private static JsonObject section(JsonObject parent, String key, List<String> problems) {
    Object value = parent.getValue(key);
    if (value == null) {
      return new JsonObject();
    }
    if (value instanceof JsonObject o) {
      return o;
    }
    problems.add("gateway." + key + ": expected an object");
    return new JsonObject();
  }

  private static long duration(JsonObject client, String key, long fallback, List<String> problems) {
    Object value = client.getValue(key);
    if (value == null) {
      return fallback;
    }
    try {
      Duration d = Durations.parse(value);
      if (d.isNegative()) {
        throw new IllegalArgumentException("must not be negative");
      }
      return d.toMillis();
    } catch (RuntimeException e) {
      problems.add("gateway.httpclient." + key + ": " + e.getMessage());
      return fallback;
    }
  }
}
