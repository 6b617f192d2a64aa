package io.junction.gateway.upstream;

import io.junction.gateway.route.definition.Numbers;
import io.junction.config.Durations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Reads and checks the {@code services} section, collecting every problem (each naming its
 * {@code services.<name>.<field>}) rather than stopping at the first.
 */
final class ServicesReader {
  static final int MAX_WEIGHT = 1000;
  private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final List<String> SERVICE_FIELDS =
      List.of("instances", "loadBalancer", "hashOn", "healthCheck", "passive", "failOpen", "discovery");
  private static final List<String> INSTANCE_FIELDS = List.of("url", "weight");
  private static final List<String> HASH_ON_FIELDS = List.of("header", "cookie", "ip");
  private static final List<String> HEALTH_FIELDS =
      List.of("path", "interval", "timeout", "healthyThreshold", "unhealthyThreshold", "expectedStatus");
  private static final List<String> PASSIVE_FIELDS = List.of("consecutiveFailures", "ejectFor");
  private static final List<String> DISCOVERY_TYPES = List.of("kubernetes");
  private static final List<String> KUBERNETES_FIELDS = List.of("namespace", "service", "port", "scheme");
  /** A namespace name (RFC 1123 label). */
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  /** A Service name (RFC 1035 label). */
  private static final Pattern K8S_SERVICE = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  /** A port name (IANA service name): at most 15, with a letter. */
  private static final Pattern PORT_NAME = Pattern.compile("(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private final LongSupplier nanoClock;
  private final List<String> problems = new ArrayList<>();

  ServicesReader(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  List<String> problems() {
    return problems;
  }

  /** The services by name, in config order; check {@link #problems()} before using them. */
  Map<String, Service> read(JsonObject services) {
    Map<String, Service> result = new LinkedHashMap<>();
    if (services == null) {
      return result;
    }
    for (String name : services.fieldNames()) {
      String path = "services." + name;
      if (!SERVICE_NAME.matcher(name).matches()) {
        problem(path, "bad service name '" + name + "': use letters, digits, '.', '_' and '-' (it is the host of lb://" + name + ")");
      }
      Object value = services.getValue(name);
      if (!(value instanceof JsonObject service)) {
        problem(path, "must be an object with instances (or discovery), got " + describe(value));
        continue;
      }
      Service read = service(name, path, service);
      if (read != null) {
        result.put(name, read);
      }
    }
    return result;
  }

  private Service service(String name, String path, JsonObject config) {
    int before = problems.size();
    unknownFields(path, config, SERVICE_FIELDS);

    KubernetesDiscovery discovery = discovery(path + ".discovery", config.getValue("discovery"));
    PassiveCheck passive = passive(path + ".passive", config.getValue("passive"));
    List<Instance> instances = instances(name, path, config.getValue("instances"), config.containsKey("discovery"), passive);

    String balancer = RoundRobinBalancer.NAME;
    Object balancerValue = config.getValue("loadBalancer");
    if (balancerValue != null) {
      if (balancerValue instanceof String text && LoadBalancer.NAMES.contains(text)) {
        balancer = text;
      } else {
        problem(path + ".loadBalancer", "unknown load balancer " + describe(balancerValue)
            + " (expected one of " + String.join(", ", LoadBalancer.NAMES) + ")");
        balancer = null;
      }
    }
    HashOn hashOn = hashOn(path + ".hashOn", config.getValue("hashOn"), balancer);
    HealthCheck healthCheck = healthCheck(path + ".healthCheck", config.getValue("healthCheck"));
    boolean failOpen = bool(path + ".failOpen", config.getValue("failOpen"), false);

    if (problems.size() > before) {
      return null;
    }
    return new Service(name, instances, balancer, hashOn, healthCheck, passive, failOpen, discovery, nanoClock);
  }

  private List<Instance> instances(String service, String path, Object value, boolean hasDiscovery,
      PassiveCheck passive) {
    List<Instance> instances = new ArrayList<>();
    String field = path + ".instances";
    if (value == null) {
      if (!hasDiscovery) {
        problem(field, "required: a list of instance URLs (or give discovery instead)");
      }
      return instances;
    }
    if (hasDiscovery) {
      problem(path + ".discovery", "cannot be combined with instances (discovery supplies them)");
    }
    if (!(value instanceof JsonArray list)) {
      problem(field, "must be a list of URLs or {url, weight} objects, got " + describe(value));
      return instances;
    }
    if (list.isEmpty() && !hasDiscovery) {
      problem(field, "must list at least one instance");
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String itemPath = field + "[" + i + "]";
      Object item = list.getValue(i);
      Object url;
      String urlPath;
      int weight = 1;
      if (item instanceof String) {
        url = item;
        urlPath = itemPath;
      } else if (item instanceof JsonObject object) {
        unknownFields(itemPath, object, INSTANCE_FIELDS);
        url = object.getValue("url");
        urlPath = itemPath + ".url";
        if (url == null) {
          problem(urlPath, "required, e.g. http://10.0.0.5:9000");
          continue;
        }
        Object weightValue = object.getValue("weight");
        if (weightValue != null) {
          Long parsed = Numbers.parseLong(weightValue);
          if (parsed == null || parsed < 1 || parsed > MAX_WEIGHT) {
            problem(itemPath + ".weight", "must be a whole number from 1 to " + MAX_WEIGHT + ", got " + describe(weightValue));
            continue;
          }
          weight = parsed.intValue();
        }
      } else {
        problem(itemPath, "must be a URL or a {url, weight} object, got " + describe(item));
        continue;
      }
      Instance instance = instance(service, urlPath, url, weight, passive);
      if (instance != null) {
        Integer first = seen.putIfAbsent(instance.id(), i);
        if (first != null) {
          problem(itemPath, "duplicate of instances[" + first + "] (" + instance.id() + ")");
        } else {
          instances.add(instance);
        }
      }
    }
    return instances;
  }

  private Instance instance(String service, String path, Object value, int weight, PassiveCheck passive) {
    if (!(value instanceof String text) || text.isBlank()) {
      problem(path, "must be a URL such as http://10.0.0.5:9000, got " + describe(value));
      return null;
    }
    String bad = "bad URL '" + text + "': ";
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      problem(path, bad + e.getReason());
      return null;
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      problem(path, bad + "scheme must be http or https");
      return null;
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      problem(path, bad + (uri.getRawAuthority() == null ? "needs a host, e.g. http://10.0.0.5:9000"
          : "'" + uri.getRawAuthority() + "' is not a valid host[:port] (host names take letters, digits, '-' and '.')"));
      return null;
    }
    if (uri.getRawUserInfo() != null) {
      problem(path, bad + "user info is not allowed");
      return null;
    }
    String rawPath = uri.getRawPath();
    if ((rawPath != null && !rawPath.isEmpty() && !rawPath.equals("/")) || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      problem(path, bad + "only scheme, host and port (the route decides the path)");
      return null;
    }
    int port = uri.getPort();
    if (port == -1) {
      port = scheme.equals("https") ? 443 : 80;
    } else if (port < 1 || port > 65535) {
      problem(path, bad + "port must be 1-65535");
      return null;
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Instance(service, scheme, host.toLowerCase(Locale.ROOT), port, weight, passive, nanoClock);
  }

  private HashOn hashOn(String path, Object value, String balancer) {
    boolean wanted = ConsistentHashBalancer.NAME.equals(balancer);
    if (value == null) {
      if (wanted) {
        problem(path, "required with loadBalancer consistent-hash: one of header: <name>, cookie: <name>, ip: true");
      }
      return null;
    }
    if (!wanted) {
      if (balancer != null) {
        problem(path, "only used with loadBalancer consistent-hash (this service uses " + balancer + ")");
      }
      return null;
    }
    if (!(value instanceof JsonObject object)) {
      problem(path, "must be an object: one of header: <name>, cookie: <name>, ip: true; got " + describe(value));
      return null;
    }
    unknownFields(path, object, HASH_ON_FIELDS);
    List<String> given = new ArrayList<>();
    for (String field : HASH_ON_FIELDS) {
      if (object.containsKey(field)) {
        given.add(field);
      }
    }
    if (given.size() != 1) {
      problem(path, given.isEmpty() ? "needs one of header: <name>, cookie: <name>, ip: true"
          : "give only one of header, cookie, ip (got " + String.join(", ", given) + ")");
      return null;
    }
    String field = given.get(0);
    Object source = object.getValue(field);
    if (field.equals("ip")) {
      if (!Boolean.TRUE.equals(source) && !"true".equals(source)) {
        problem(path + ".ip", "must be true (hash on the client ip)");
        return null;
      }
      return new HashOn(HashOn.Source.IP, null);
    }
    if (!(source instanceof String name) || name.isBlank()) {
      problem(path + "." + field, "must be a " + field + " name, got " + describe(source));
      return null;
    }
    return new HashOn(field.equals("header") ? HashOn.Source.HEADER : HashOn.Source.COOKIE, name.trim());
  }

  private HealthCheck healthCheck(String path, Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject object)) {
      problem(path, "must be an object such as { path: /health, interval: 5s }, got " + describe(value));
      return null;
    }
    int before = problems.size();
    unknownFields(path, object, HEALTH_FIELDS);
    Object probePath = object.getValue("path");
    if (probePath == null) {
      problem(path + ".path", "required, e.g. /health");
    } else if (!(probePath instanceof String text) || !text.startsWith("/") || text.chars().anyMatch(c -> c <= ' ')) {
      problem(path + ".path", "must be a path starting with '/', got " + describe(probePath));
    }
    long interval = duration(path + ".interval", object.getValue("interval"), HealthCheck.DEFAULT_INTERVAL_MILLIS);
    long timeout = duration(path + ".timeout", object.getValue("timeout"), HealthCheck.DEFAULT_TIMEOUT_MILLIS);
    int healthy = positive(path + ".healthyThreshold", object.getValue("healthyThreshold"), HealthCheck.DEFAULT_HEALTHY_THRESHOLD);
    int unhealthy = positive(path + ".unhealthyThreshold", object.getValue("unhealthyThreshold"), HealthCheck.DEFAULT_UNHEALTHY_THRESHOLD);
    StatusRanges expected = null;
    Object status = object.getValue("expectedStatus");
    String statusText = status == null ? HealthCheck.DEFAULT_EXPECTED_STATUS : statusText(status);
    if (statusText == null) {
      problem(path + ".expectedStatus", "must be a status, a range or a list such as 200, 200-399 or [200, 204], got " + describe(status));
    } else {
      try {
        expected = StatusRanges.parse(statusText);
      } catch (IllegalArgumentException e) {
        problem(path + ".expectedStatus", e.getMessage());
      }
    }
    if (problems.size() > before) {
      return null;
    }
    return new HealthCheck((String) probePath, interval, timeout, healthy, unhealthy, expected);
  }

  /** {@code 200}, {@code "200-399"} or {@code [200, "300-302"]} as one text; null for other shapes. */
  private static String statusText(Object status) {
    if (status instanceof Number || status instanceof String) {
      return status.toString();
    }
    if (status instanceof JsonArray list && !list.isEmpty()) {
      List<String> parts = new ArrayList<>();
      for (Object item : list) {
        if (!(item instanceof Number || item instanceof String)) {
          return null;
        }
        parts.add(item.toString());
      }
      return String.join(",", parts);
    }
    return null;
  }

  private PassiveCheck passive(String path, Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject object)) {
      problem(path, "must be an object such as { consecutiveFailures: 5, ejectFor: 30s }, got " + describe(value));
      return null;
    }
    unknownFields(path, object, PASSIVE_FIELDS);
    int failures = positive(path + ".consecutiveFailures", object.getValue("consecutiveFailures"),
        PassiveCheck.DEFAULT_CONSECUTIVE_FAILURES);
    long ejectFor = duration(path + ".ejectFor", object.getValue("ejectFor"), PassiveCheck.DEFAULT_EJECT_FOR_MILLIS);
    return new PassiveCheck(failures, ejectFor);
  }

  /** {@code discovery: {kubernetes: {...}}}, the one discovery type there is. */
  private KubernetesDiscovery discovery(String field, Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject object) || object.isEmpty()) {
      problem(field, "must be an object naming a discovery type, e.g. { kubernetes: { service: user-service, port: http } }");
      return null;
    }
    for (String type : object.fieldNames()) {
      if (!DISCOVERY_TYPES.contains(type)) {
        problem(field + "." + type, "unknown discovery type (known: " + String.join(", ", DISCOVERY_TYPES) + ")");
      }
    }
    Object kubernetes = object.getValue("kubernetes");
    if (kubernetes == null) {
      return null; // the unknown type was reported
    }
    String path = field + ".kubernetes";
    if (!(kubernetes instanceof JsonObject k8s)) {
      problem(path, "must be an object such as { service: user-service, port: http }, got " + describe(kubernetes));
      return null;
    }
    int before = problems.size();
    unknownFields(path, k8s, KUBERNETES_FIELDS);
    String namespace = null;
    Object ns = k8s.getValue("namespace");
    if (ns != null) {
      if (ns instanceof String text && text.length() <= 63 && NAMESPACE.matcher(text).matches()) {
        namespace = text;
      } else {
        problem(path + ".namespace", "must be a namespace name (lower-case letters, digits and '-', at most 63), got " + describe(ns));
      }
    }
    Object service = k8s.getValue("service");
    if (service == null) {
      problem(path + ".service", "required: the name of the Kubernetes Service whose EndpointSlices list the instances");
    } else if (!(service instanceof String text) || text.length() > 63 || !K8S_SERVICE.matcher(text).matches()) {
      problem(path + ".service", "must be a Service name (lower-case letters, digits and '-', starting with a letter, at most 63), got "
          + describe(service));
    }
    String portName = null;
    int portNumber = 0;
    Object port = k8s.getValue("port");
    Long number = port instanceof String text && !text.isEmpty() && text.chars().allMatch(Character::isDigit)
        ? Numbers.parseLong(text) : port instanceof Number ? Numbers.parseLong(port) : null;
    if (number != null) {
      if (number < 1 || number > 65535) {
        problem(path + ".port", "a port number must be 1-65535, got " + describe(port));
      } else {
        portNumber = number.intValue();
      }
    } else if (port instanceof String text && text.length() <= 15 && PORT_NAME.matcher(text).matches()) {
      portName = text;
    } else if (port != null) {
      problem(path + ".port", "must be the name of a port of the Service (such as http, at most 15 characters) or a port number, got "
          + describe(port));
    }
    String scheme = "http";
    Object schemeValue = k8s.getValue("scheme");
    if (schemeValue != null) {
      if ("http".equals(schemeValue) || "https".equals(schemeValue)) {
        scheme = (String) schemeValue;
      } else {
        problem(path + ".scheme", "must be http or https, got " + describe(schemeValue));
      }
    }
    if (problems.size() > before) {
      return null;
    }
    return new KubernetesDiscovery(namespace, (String) service, portName, portNumber, scheme);
  }

  private void unknownFields(String path, JsonObject object, List<String> known) {
    for (String field : object.fieldNames()) {
      if (!known.contains(field)) {
        problem(path + "." + field, "unknown field (known: " + String.join(", ", known) + ")");
      }
    }
  }

  /** Milliseconds, more than zero; {@code fallback} when absent. */
  private long duration(String path, Object value, long fallback) {
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number && Numbers.parseLong(value) == null) {
      problem(path, "must be whole milliseconds or a duration such as 250ms, 5s, 2m; got " + describe(value));
      return fallback;
    }
    long millis;
    try {
      millis = Durations.parse(value).toMillis();
    } catch (IllegalArgumentException | ArithmeticException e) {
      problem(path, e.getMessage());
      return fallback;
    }
    if (millis <= 0) {
      problem(path, "must be more than 0, got " + describe(value));
      return fallback;
    }
    return millis;
  }

  /** A whole number of at least 1; {@code fallback} when absent. */
  private int positive(String path, Object value, int fallback) {
    if (value == null) {
      return fallback;
    }
    Long parsed = Numbers.parseLong(value);
    if (parsed == null || parsed < 1 || parsed > Integer.MAX_VALUE) {
      problem(path, "must be a whole number of at least 1, got " + describe(value));
      return fallback;
    }
    return parsed.intValue();
  }

  private boolean bool(String path, Object value, boolean fallback) {
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String text && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(text);
    }
    problem(path, "must be true or false, got " + describe(value));
    return fallback;
  }

  private static String describe(Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof String text) {
      return "'" + text + "'";
    }
    if (value instanceof JsonObject) {
      return "an object";
    }
    if (value instanceof JsonArray) {
      return "a list";
    }
    return String.valueOf(value);
  }

  private void problem(String path, String message) {
    problems.add(path + ": " + message);
  }
}
