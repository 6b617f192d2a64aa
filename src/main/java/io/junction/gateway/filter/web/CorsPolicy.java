package io.junction.gateway.filter.web;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one CORS configuration allows, as Spring's {@code CorsConfiguration}: checked once at config time,
 * then asked per request. Used by the route filter {@link CorsFilter} and by {@link GlobalCors}.
 */
final class CorsPolicy {

  static final List<String> ARG_NAMES = List.of("allowedOrigins", "allowedOriginPatterns", "allowedMethods",
      "allowedHeaders", "exposedHeaders", "allowCredentials", "maxAge");

  static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
  static final String ALLOW_CREDENTIALS = "Access-Control-Allow-Credentials";
  static final String ALLOW_METHODS = "Access-Control-Allow-Methods";
  static final String ALLOW_HEADERS = "Access-Control-Allow-Headers";
  static final String EXPOSE_HEADERS = "Access-Control-Expose-Headers";
  static final String MAX_AGE = "Access-Control-Max-Age";
  static final String REQUEST_METHOD = "Access-Control-Request-Method";
  static final String REQUEST_HEADERS = "Access-Control-Request-Headers";

  private static final Pattern ORIGIN = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^/\\s?#]+");
  private static final Pattern PORTS = Pattern.compile("(.*):\\[(\\*|\\d{1,5}(?:\\s*,\\s*\\d{1,5})*)]");
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private final Set<String> origins;
  private final boolean anyOrigin;
  private final List<Pattern> originPatterns;
  private final List<String> methods;
  private final boolean anyMethod;
  private final String methodsHeader;
  private final Set<String> headers;
  private final boolean anyHeader;
  private final String exposedHeaders;
  private final boolean allowCredentials;
  private final long maxAge;
  private final String description;

  private CorsPolicy(Set<String> origins, boolean anyOrigin, List<Pattern> originPatterns, List<String> methods,
      Set<String> headers, boolean anyHeader, List<String> exposedHeaders, boolean allowCredentials, long maxAge,
      String description) {
    this.origins = origins;
    this.anyOrigin = anyOrigin;
    this.originPatterns = originPatterns;
    this.methods = methods;
    this.anyMethod = methods.contains("*");
    this.methodsHeader = String.join(",", methods);
    this.headers = headers;
    this.anyHeader = anyHeader;
    this.exposedHeaders = exposedHeaders.isEmpty() ? null : String.join(",", exposedHeaders);
    this.allowCredentials = allowCredentials;
    this.maxAge = maxAge;
    this.description = description;
  }

  /** Reads and checks the arguments named in {@link #ARG_NAMES}. */
  static CorsPolicy from(Args args) throws DefinitionException {
    List<String> originList = WebArgs.list(args, "allowedOrigins", List.of());
    List<String> patternList = WebArgs.list(args, "allowedOriginPatterns", List.of());
    if (originList.isEmpty() && patternList.isEmpty()) {
      throw new DefinitionException("missing required argument 'allowedOrigins' (or 'allowedOriginPatterns')");
    }
    Set<String> origins = new HashSet<>();
    boolean anyOrigin = false;
    for (String origin : originList) {
      if (origin.equals("*")) {
        anyOrigin = true;
        continue;
      }
      String trimmed = trimSlash(origin);
      if (!trimmed.equals("null") && !ORIGIN.matcher(trimmed).matches()) {
        throw args.bad("allowedOrigins", "bad origin '" + origin + "' (expected scheme://host[:port] such as"
            + " https://example.com, or *; use allowedOriginPatterns for wildcards)");
      }
      origins.add(trimmed.toLowerCase(Locale.ROOT));
    }
    List<Pattern> patterns = new ArrayList<>();
    for (String pattern : patternList) {
      patterns.add(compilePattern(args, pattern));
    }
    List<String> methods = new ArrayList<>();
    for (String method : WebArgs.list(args, "allowedMethods", List.of("GET", "HEAD", "POST"))) {
      methods.add(token(args, "allowedMethods", method).toUpperCase(Locale.ROOT));
    }
    if (methods.isEmpty()) {
      throw args.bad("allowedMethods", "must name at least one method (or *)");
    }
    Set<String> headers = new HashSet<>();
    for (String header : WebArgs.list(args, "allowedHeaders", List.of("*"))) {
      headers.add(token(args, "allowedHeaders", header).toLowerCase(Locale.ROOT));
    }
    List<String> exposed = new ArrayList<>();
    for (String header : WebArgs.list(args, "exposedHeaders", List.of())) {
      exposed.add(token(args, "exposedHeaders", header));
    }
    boolean credentials = args.bool("allowCredentials", false);
    if (credentials && anyOrigin) {
      throw args.bad("allowedOrigins", "'*' cannot be combined with allowCredentials=true: browsers refuse a"
          + " wildcard Access-Control-Allow-Origin on credentialed requests; list the origins, or use"
          + " allowedOriginPatterns");
    }
    int maxAge = args.integer("maxAge", 1800);
    if (maxAge < 0) {
      throw args.bad("maxAge", "must be 0 or more seconds, not " + maxAge);
    }
    String description = "origins " + originList + (patternList.isEmpty() ? "" : " patterns " + patternList)
        + " methods " + methods + (credentials ? " with credentials" : "");
    return new CorsPolicy(origins, anyOrigin, patterns, methods, headers, headers.contains("*"), exposed,
        credentials, maxAge, description);
  }

  /** {@code https://*.example.com}, {@code http://localhost:[8080,8081]}, {@code https://*.a.com:[*]}, {@code *}. */
  private static Pattern compilePattern(Args args, String text) throws DefinitionException {
    if (text.equals("*")) {
      return Pattern.compile(".*");
    }
    String body = trimSlash(text);
    String ports = null;
    Matcher m = PORTS.matcher(body);
    if (m.matches()) {
      body = m.group(1);
      ports = m.group(2).replace(" ", "");
    }
    if (!body.contains("://")) {
      throw args.bad("allowedOriginPatterns", "bad origin pattern '" + text + "' (expected e.g."
          + " https://*.example.com or http://localhost:[8080,8081])");
    }
    StringBuilder regex = new StringBuilder();
    int start = 0;
    for (int star = body.indexOf('*'); star >= 0; star = body.indexOf('*', start)) {
      regex.append(Pattern.quote(body.substring(start, star))).append(".*");
      start = star + 1;
    }
    regex.append(Pattern.quote(body.substring(start)));
    if (ports != null) {
      // [*] also matches the scheme's default port, written without a port
      regex.append(ports.equals("*") ? "(:\\d+)?" : ":(" + ports.replace(",", "|") + ")");
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
  }

  private static String token(Args args, String name, String value) throws DefinitionException {
    if (!TOKEN.matcher(value).matches()) {
      throw args.bad(name, "bad value '" + value + "' (expected a header or method name, or *)");
    }
    return value;
  }

  private static String trimSlash(String origin) {
    return origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
  }

  // ---- per request

  /** The Access-Control-Allow-Origin value for this request origin, or null when the origin is not allowed. */
  String allowOrigin(String origin) {
    if (anyOrigin) {
      return "*";
    }
    if (origins.contains(origin.toLowerCase(Locale.ROOT))) {
      return origin;
    }
    for (Pattern pattern : originPatterns) {
      if (pattern.matcher(origin).matches()) {
        return origin;
      }
    }
    return null;
  }

  boolean allowsMethod(String method) {
    return anyMethod || methods.contains(method.toUpperCase(Locale.ROOT));
  }

  /** True when every header the preflight announces is allowed. */
  boolean allowsHeaders(List<String> requested) {
    if (anyHeader) {
      return true;
    }
    for (String header : requested) {
      if (!headers.contains(header.toLowerCase(Locale.ROOT))) {
        return false;
      }
    }
    return true;
  }

  /** The answer to an allowed preflight. */
  MultiMap preflightHeaders(String allowOrigin, String method, List<String> requestedHeaders) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    out.set(ALLOW_ORIGIN, allowOrigin);
    out.set(ALLOW_METHODS, anyMethod ? method : methodsHeader);
    if (!requestedHeaders.isEmpty()) {
      out.set(ALLOW_HEADERS, String.join(",", requestedHeaders));
    }
    if (allowCredentials) {
      out.set(ALLOW_CREDENTIALS, "true");
    }
    out.set(MAX_AGE, Long.toString(maxAge));
    out.add("Vary", "Origin, " + REQUEST_METHOD + ", " + REQUEST_HEADERS);
    return out;
  }

  /** Shapes the response to an allowed cross-origin request; the gateway's policy replaces the upstream's. */
  void applyToResponse(MultiMap headers, String allowOrigin) {
    headers.remove(ALLOW_ORIGIN).remove(ALLOW_CREDENTIALS).remove(EXPOSE_HEADERS).remove(ALLOW_METHODS)
        .remove(ALLOW_HEADERS).remove(MAX_AGE);
    headers.set(ALLOW_ORIGIN, allowOrigin);
    if (allowCredentials) {
      headers.set(ALLOW_CREDENTIALS, "true");
    }
    if (exposedHeaders != null) {
      headers.set(EXPOSE_HEADERS, exposedHeaders);
    }
    varyOrigin(headers);
  }

  /** Adds {@code Vary: Origin} unless the response already varies on it (or on everything). */
  static void varyOrigin(MultiMap headers) {
    for (String line : headers.getAll("Vary")) {
      for (String name : line.split(",")) {
        String n = name.trim();
        if (n.equals("*") || n.equalsIgnoreCase("Origin")) {
          return;
        }
      }
    }
    headers.add("Vary", "Origin");
  }

  @Override
  public String toString() {
    return description;
  }
}
