package io.junction.gateway.filter.basic;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.vertx.core.Future;
import io.vertx.core.net.HostAndPort;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code RewriteLocationResponseHeader=AS_IN_REQUEST, Location, , }: hides the backend in a redirect. In
 * {@code https://object-service.prod:8443/v2/some/object/id} the host[:port] becomes the client's Host
 * header (or {@code hostValue}), and a {@code /v<n>} first segment is dropped per {@code stripVersion}:
 * never, always, or only when the request path had none ({@code AS_IN_REQUEST}, the default). Only URLs
 * whose scheme matches {@code protocols} (default {@code https?|ftps?}) and that have a path are changed;
 * the scheme is kept.
 */
public final class RewriteLocationResponseHeaderFilter implements GatewayFilter {

  public enum StripVersion { NEVER_STRIP, AS_IN_REQUEST, ALWAYS_STRIP }

  private static final Pattern VERSIONED_PATH = Pattern.compile("/v\\d+/.*");

  private final StripVersion stripVersion;
  private final String headerName;
  private final String hostValue;
  /** scheme://, then host[:port] (group 1), then an optional /v<n> (group 2), before a '/'. */
  private final Pattern location;

  RewriteLocationResponseHeaderFilter(StripVersion stripVersion, String headerName, String hostValue,
      Pattern protocols) {
    this.stripVersion = stripVersion;
    this.headerName = headerName;
    this.hostValue = hostValue;
    this.location = Pattern.compile("^(?:" + protocols.pattern() + ")://([^:/]+(?::\\d+)?)(/v\\d+)?(?=/)");
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    String host = hostValue != null ? hostValue : clientHost(exchange);
    boolean strip = stripVersion == StripVersion.ALWAYS_STRIP
        || (stripVersion == StripVersion.AS_IN_REQUEST && !VERSIONED_PATH.matcher(exchange.path()).matches());
    if (host != null) {
      exchange.beforeResponse(ex -> {
        String value = ex.responseHeaders().get(headerName);
        if (value != null) {
          ex.responseHeaders().set(headerName, rewrite(value, host, strip));
        }
      });
    }
    return chain.next(exchange);
  }

  String rewrite(String value, String host, boolean strip) {
    Matcher m = location.matcher(value);
    if (!m.find()) {
      return value;
    }
    int end = strip || m.group(2) == null ? m.end() : m.start(2);
    return value.substring(0, m.start(1)) + host + value.substring(end);
  }

  private static String clientHost(Exchange exchange) {
    String host = exchange.request().getHeader("Host");
    if (host != null) {
      return host;
    }
    HostAndPort authority = exchange.request().authority(); // HTTP/2 has :authority, no Host
    if (authority == null) {
      return null;
    }
    return authority.port() < 0 ? authority.host() : authority.host() + ":" + authority.port();
  }

  @Override
  public String toString() {
    return "RewriteLocationResponseHeader " + headerName + " " + stripVersion
        + (hostValue == null ? "" : " -> " + hostValue);
  }

  public static final class Factory implements FilterFactory {

    private static final Pattern DEFAULT_PROTOCOLS = Pattern.compile("https?|ftps?");

    @Override
    public String name() {
      return "RewriteLocationResponseHeader";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("stripVersion", "locationHeaderName", "hostValue", "protocols");
    }

    @Override
    public List<String> argNames() {
      return List.of("stripVersion", "stripVersionMode", "locationHeaderName", "hostValue", "protocols");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      String key = args.has("stripVersion") ? "stripVersion" : "stripVersionMode";
      if (args.has("stripVersion") && args.has("stripVersionMode")) {
        throw args.bad("stripVersionMode", "give either stripVersion or stripVersionMode, not both");
      }
      StripVersion strip = StripVersion.AS_IN_REQUEST;
      String mode = args.optionalString(key);
      if (mode != null) {
        try {
          strip = StripVersion.valueOf(mode.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
          throw args.bad(key, "unknown mode '" + mode + "' (expected NEVER_STRIP, AS_IN_REQUEST or ALWAYS_STRIP)");
        }
      }
      String header = args.has("locationHeaderName") ? Headers.name(args, "locationHeaderName") : "Location";
      String host = args.optionalString("hostValue");
      if (host != null) {
        Headers.checkedValue(args, "hostValue", host);
        if (host.contains("/") || host.contains(" ")) {
          throw args.bad("hostValue", "expected host or host:port, not '" + host + "'");
        }
      }
      Pattern protocols = args.optionalRegexp("protocols");
      if (protocols != null) {
        try {
          Pattern.compile("^(?:" + protocols.pattern() + ")://");
        } catch (PatternSyntaxException e) {
          throw args.bad("protocols", "bad regexp '" + protocols.pattern() + "': " + e.getDescription());
        }
      }
      return new RewriteLocationResponseHeaderFilter(strip, header, host,
          protocols == null ? DEFAULT_PROTOCOLS : protocols);
    }
  }
}
