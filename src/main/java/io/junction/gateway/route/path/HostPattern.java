package io.junction.gateway.route.path;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An Ant-style host pattern with {@code .} as separator, as Spring Cloud
 * Gateway's {@code Host} predicate: {@code **.example.org} (any number of
 * labels, including none, so it also matches {@code example.org}),
 * {@code *.example.org} (exactly one label), {@code {sub}.example.org}
 * (captures {@code sub}), {@code {sub:[a-z]+}.example.org}, {@code ?} and
 * {@code *} within a label. At most one {@code **} per pattern.
 *
 * <p>Unlike Spring, which compares the raw Host header including any port,
 * the port is ignored unless the pattern itself has a {@code :} ({@code
 * localhost:8080}); host names are compared ignoring case and a trailing
 * root dot ({@code example.org.}) is ignored. Spring's patterns keep working;
 * requests with a port no longer fall through by surprise.
 */
public final class HostPattern {

  private final String text;
  private final boolean withPort;
  private final SegmentPattern pattern;

  private HostPattern(String text, boolean withPort, SegmentPattern pattern) {
    this.text = text;
    this.withPort = withPort;
    this.pattern = pattern;
  }

  /** @throws IllegalArgumentException saying what is wrong with the pattern */
  public static HostPattern parse(String pattern) {
    if (pattern.isEmpty()) {
      throw new IllegalArgumentException("empty host pattern");
    }
    try {
      // a ':' after any IPv6 brackets means the pattern names a port
      boolean withPort = pattern.indexOf(':', pattern.lastIndexOf(']') + 1) >= 0;
      return new HostPattern(pattern, withPort,
          SegmentPattern.parse(pattern, '.', true, false));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad host pattern '" + pattern + "': " + e.getMessage());
    }
  }

  /** Captured variables (shared empty map when none), or null when the Host header does not match. */
  public Map<String, String> match(String hostHeader) {
    if (hostHeader == null) {
      return null;
    }
    Map<String, String> vars = pattern.hasVariables() ? new LinkedHashMap<>(2) : null;
    if (!pattern.match(hostHeader, 0, end(hostHeader), vars)) {
      return null;
    }
    return vars == null ? Map.of() : vars;
  }

  public boolean matches(String hostHeader) {
    return hostHeader != null && pattern.match(hostHeader, 0, end(hostHeader), null);
  }

  /** Where the part to compare ends: before the port (unless the pattern has one) and a root dot. */
  private int end(String host) {
    int end = host.length();
    if (!withPort) {
      if (host.startsWith("[")) {
        int close = host.indexOf(']');
        end = close < 0 ? end : close + 1;
      } else {
        int colon = host.indexOf(':');
        end = colon < 0 ? end : colon;
      }
    }
    if (end > 1 && host.charAt(end - 1) == '.') {
      end--;
    }
    return end;
  }

  @Override
  public String toString() {
    return text;
  }
}
