package io.junction.gateway.route.path;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Spring-style path pattern, compiled once and matched per request.
 *
 * <p>Syntax (as Spring's {@code PathPattern}):
 * <ul>
 *   <li>{@code ?} one character, {@code *} any run of characters within one segment
 *   ({@code /pages/t?st.html}, {@code /resources/*.png})</li>
 *   <li>{@code {name}} captures one non-empty segment; {@code {name:regexp}} captures text the
 *   regexp matches; both can be mixed with text ({@code /files/{name}.{ext}})</li>
 *   <li>{@code **} zero or more whole segments; {@code {*name}} the same, captured with its
 *   leading slash ({@code /resources/{*path}} gives {@code /css/a.css}, or {@code ""} for
 *   {@code /resources})</li>
 * </ul>
 * Spring 6 allows {@code **} and {@code {*name}} only at the end. Junction also
 * allows one at the start or in the middle ({@code /**}{@code /health},
 * {@code /api/**}{@code /items}), as AntPathMatcher did, but at most one per
 * pattern, so matching never backtracks. A pattern without a leading {@code /}
 * gets one. Matching is case-sensitive.
 *
 * <p>Input must be a path already normalised by {@link PathNormalizer}:
 * percent-decoded once, no dot segments, no empty segments. Captured values
 * are therefore decoded text.
 *
 * <p>With {@code matchTrailingSlash} (the default, as in Spring Cloud
 * Gateway), a pattern not ending in {@code /} also matches the path with one
 * trailing {@code /}: {@code /a/b} matches {@code /a/b/}. A pattern ending in
 * {@code /} only matches paths ending in {@code /}.
 */
public final class PathPattern {

  private final String text;
  private final boolean matchTrailingSlash;
  private final SegmentPattern pattern;

  private PathPattern(String text, boolean matchTrailingSlash, SegmentPattern pattern) {
    this.text = text;
    this.matchTrailingSlash = matchTrailingSlash;
    this.pattern = pattern;
  }

  public static PathPattern parse(String pattern) {
    return parse(pattern, true);
  }

  /** @throws IllegalArgumentException saying what is wrong with the pattern */
  public static PathPattern parse(String pattern, boolean matchTrailingSlash) {
    String text = pattern.startsWith("/") ? pattern : "/" + pattern;
    try {
      return new PathPattern(text, matchTrailingSlash,
          SegmentPattern.parse(text.substring(1), '/', false, true));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad path pattern '" + pattern + "': " + e.getMessage());
    }
  }

  /**
   * The captured variables (empty, shared and immutable when the pattern has
   * none; a new mutable map otherwise), or null when the path does not match.
   */
  public Map<String, String> match(String path) {
    Map<String, String> vars = pattern.hasVariables() ? new LinkedHashMap<>(4) : null;
    if (matchTo(path, path.length(), vars)) {
      return vars == null ? Map.of() : vars;
    }
    if (trailingSlashRetry(path)) {
      if (vars != null) {
        vars.clear();
      }
      if (matchTo(path, path.length() - 1, vars)) {
        return vars == null ? Map.of() : vars;
      }
    }
    return null;
  }

  /** Like {@link #match} but allocates nothing. */
  public boolean matches(String path) {
    return matchTo(path, path.length(), null)
        || trailingSlashRetry(path) && matchTo(path, path.length() - 1, null);
  }

  private boolean trailingSlashRetry(String path) {
    return matchTrailingSlash && path.length() > 1 && path.charAt(path.length() - 1) == '/'
        && !pattern.endsWithSeparator();
  }

  private boolean matchTo(String path, int end, Map<String, String> vars) {
    return !path.isEmpty() && path.charAt(0) == '/' && pattern.match(path, 1, end, vars);
  }

  public boolean hasVariables() {
    return pattern.hasVariables();
  }

  public boolean matchTrailingSlash() {
    return matchTrailingSlash;
  }

  /** The pattern text (with a leading {@code /}). */
  @Override
  public String toString() {
    return text;
  }
}
