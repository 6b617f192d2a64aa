package io.junction.gateway;

import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.QueryParams;
import io.junction.gateway.filter.RequestRewrite;
import io.junction.gateway.proxy.GatewaySnapshot;
import io.junction.gateway.route.Route;
import io.junction.gateway.route.RouteMatch;
import io.junction.gateway.route.net.IpAddresses;
import io.junction.gateway.route.path.PathNormalizer;
import io.junction.gateway.route.predicate.RouteRequest;
import io.junction.gateway.upstream.Instance;
import io.junction.gateway.upstream.Service;
import io.junction.gateway.upstream.ServiceRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "Which route would serve this request, and where would it go?" on the live route table, without sending
 * anything: the admin API's route test. The upstream URL is the route's target (for {@code lb://}, the first
 * available instance) plus the path the proxy would send: the route's chain (default filters first) is walked and
 * every {@link RequestRewrite} filter in it (StripPrefix, PrefixPath, RewritePath, SetPath, SetRequestHostHeader,
 * PreserveHostHeader) is applied with the proxy's own code, then the path is encoded as the proxy encodes it.
 * Other filters are listed, not run (they may answer the request themselves, call Redis, count, ...).
 */
final class RouteProbe {
  private RouteProbe() {
  }

  /** @param request {@code {method, path, headers: {name: value or [values]}, remoteAddress?}}; path may carry a query */
  static JsonObject probe(GatewaySnapshot snapshot, ServiceRegistry registry, JsonObject request) {
    String method = request.getString("method", "GET").toUpperCase(Locale.ROOT);
    String raw = request.getString("path", "/");
    int q = raw.indexOf('?');
    String query = q < 0 ? null : raw.substring(q + 1);
    String rawPath = q < 0 ? raw : raw.substring(0, q);
    String path = PathNormalizer.normalize(rawPath);
    if (path == null) {
      throw new IllegalArgumentException("bad path: " + PathNormalizer.rejectionReason(rawPath));
    }
    JsonObject headers = request.getJsonObject("headers", new JsonObject());
    RouteMatch match = snapshot.table().find(new Probe(method, path, query, headers, request.getString("remoteAddress")));
    JsonObject out = new JsonObject().put("method", method).put("path", path);
    if (match == null) {
      return out.put("matched", false).putNull("routeId").putNull("upstreamUrl");
    }
    Route route = match.route();
    JsonArray filters = new JsonArray();
    route.filters().forEach(f -> filters.add(f.name()));
    Outgoing outgoing = new Outgoing(path, match.variables());
    for (GatewayFilter filter : snapshot.filters(route.id())) {
      if (filter instanceof RequestRewrite rewrite && !rewrite.rewrite(outgoing)) {
        return out.put("matched", true).put("routeId", route.id()).put("uri", route.uri().toString()).putNull("upstreamUrl")
          .put("variables", new JsonObject(Map.copyOf(match.variables()))).put("filters", filters)
          .put("problem", "filter " + filter + " needs a URI variable the route's predicates do not capture: the proxy answers 500");
      }
    }
    Target target = target(route, registry);
    String host = outgoing.hostOverride != null ? outgoing.hostOverride
      : outgoing.preserveHost && headerOf(headers, "Host") != null ? headerOf(headers, "Host")
      : target == null ? null : target.authority();
    String url = target == null ? null : target.url() != null ? target.url()
      : target.base() + PathNormalizer.encode(outgoing.path) + (query == null || query.isEmpty() ? "" : "?" + query);
    return out.put("matched", true).put("routeId", route.id()).put("uri", route.uri().toString())
      .put("upstreamUrl", url).put("upstreamHost", target == null || target.url() != null ? null : host)
      .put("variables", new JsonObject(Map.copyOf(match.variables())))
      .put("filters", filters);
  }

  /** Where the request would go: scheme and authority, or (forward:) a whole URL; null when no instance is available. */
  private record Target(String base, String authority, String url) {
  }

  private static Target target(Route route, ServiceRegistry registry) {
    URI uri = route.uri();
    if (route.serviceName() != null) {
      Service service = registry == null ? null : registry.get(route.serviceName());
      if (service != null) {
        for (Instance instance : service.instances()) {
          if (instance.available()) {
            return new Target(instance.scheme() + "://" + instance.authority(), instance.authority(), null);
          }
        }
      }
      return null; // no instance would take it: the gateway would answer 503
    }
    if ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) {
      return new Target(uri.getScheme() + "://" + uri.getRawAuthority(), uri.getRawAuthority(), null);
    }
    return new Target(null, null, uri.toString()); // forward:/path and the like
  }

  private static String headerOf(JsonObject headers, String name) {
    for (String key : headers.fieldNames()) {
      if (key.equalsIgnoreCase(name)) {
        Object value = headers.getValue(key);
        return value instanceof JsonArray a ? (a.isEmpty() ? null : String.valueOf(a.getValue(0))) : value == null ? null : String.valueOf(value);
      }
    }
    return null;
  }

  /** The outgoing request as the rewrite filters change it. */
  private static final class Outgoing implements RequestRewrite.Target {
    private String path;
    private final Map<String, String> variables;
    private String hostOverride;
    private boolean preserveHost;

    Outgoing(String path, Map<String, String> variables) {
      this.path = path;
      this.variables = variables;
    }

    @Override
    public String path() {
      return path;
    }

    @Override
    public void setPath(String path) {
      this.path = path;
    }

    @Override
    public Map<String, String> variables() {
      return variables;
    }

    @Override
    public void setHostOverride(String host) {
      this.hostOverride = host;
    }

    @Override
    public void setPreserveHost(boolean preserveHost) {
      this.preserveHost = preserveHost;
    }
  }

  /** A request described in JSON, for predicates. */
  private record Probe(String method, String path, String query, JsonObject headerJson, String remote) implements RouteRequest {
    @Override
    public String host() {
      return header("Host");
    }

    @Override
    public String header(String name) {
      List<String> all = headers(name);
      return all.isEmpty() ? null : all.get(0);
    }

    @Override
    public List<String> headers(String name) {
      List<String> out = new ArrayList<>();
      for (String key : headerJson.fieldNames()) {
        if (key.equalsIgnoreCase(name)) {
          Object value = headerJson.getValue(key);
          if (value instanceof JsonArray array) {
            array.forEach(v -> out.add(String.valueOf(v)));
          } else if (value != null) {
            out.add(String.valueOf(value));
          }
        }
      }
      return out;
    }

    @Override
    public List<String> queryParams(String name) {
      return query == null ? List.of() : QueryParams.parse(query).getAll(name);
    }

    @Override
    public List<String> cookies(String name) {
      List<String> out = new ArrayList<>();
      for (String header : headers("Cookie")) {
        for (String pair : header.split(";")) {
          int eq = pair.indexOf('=');
          if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
            out.add(pair.substring(eq + 1).trim());
          }
        }
      }
      return out;
    }

    @Override
    public InetAddress remoteAddress() {
      // literals only: a probe never resolves names
      return remote == null ? InetAddress.getLoopbackAddress() : IpAddresses.parseLiteral(remote);
    }

    @Override
    public Map<String, Object> claims() {
      return null;
    }
  }
}
