package io.junction.gateway.route;

import io.junction.gateway.route.definition.DefinitionException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/** Route target URIs: {@code http(s)://host[:port]}, {@code lb://service}, {@code forward:/path}. */
public final class RouteUris {

  public static final Set<String> SCHEMES = Set.of("http", "https", "lb", "forward");

  private RouteUris() {
  }

  /** Parses and checks scheme and host; the service of an {@code lb} URI is checked by the caller. */
  public static URI parse(String text) throws DefinitionException {
    if (text == null || text.isBlank()) {
      throw new DefinitionException("uri is required");
    }
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new DefinitionException("bad uri '" + text + "': " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme == null || !SCHEMES.contains(scheme)) {
      throw new DefinitionException("bad uri '" + text + "': scheme must be one of http, https, lb,"
          + " forward");
    }
    if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() == null) {
      throw new DefinitionException("bad uri '" + text + "': needs a host, e.g. http://host:8080");
    }
    if (scheme.equals("lb") && serviceName(uri) == null) {
      throw new DefinitionException("bad uri '" + text + "': needs a service name, e.g. lb://user-service");
    }
    return uri;
  }

  /**
   * The service of an {@code lb://} URI, or null. Read from the authority
   * because {@link URI#getHost()} is null for names with {@code _}.
   */
  public static String serviceName(URI uri) {
    if (!"lb".equalsIgnoreCase(uri.getScheme())) {
      return null;
    }
    String authority = uri.getRawAuthority();
    if (authority == null || authority.isEmpty()) {
      return null;
    }
    int colon = authority.indexOf(':');
    return colon < 0 ? authority : authority.substring(0, colon);
  }
}
