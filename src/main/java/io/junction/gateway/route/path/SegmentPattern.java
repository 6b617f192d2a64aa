package io.junction.gateway.route.path;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The engine shared by {@link PathPattern} (separator {@code /}) and
 * {@link HostPattern} (separator {@code .}): a pattern split into segments,
 * with at most one multi-segment wildcard ({@code **} or {@code {*name}}).
 *
 * <p>With a single multi-segment wildcard the match needs no backtracking:
 * the segments before it match the first input segments, the segments after
 * it match the last ones, and the wildcard takes whatever is between (maybe
 * nothing). That keeps matching linear in the input length.
 */
final class SegmentPattern {

  private static final String GROUP_PREFIX = "jcv";

  private final char separator;
  /** The multi-segment wildcard's slot holds null. */
  private final Segment[] segments;
  private final int multiIndex;
  private final String multiCapture;
  private final boolean hasVariables;

  private SegmentPattern(char separator, Segment[] segments, int multiIndex, String multiCapture,
      boolean hasVariables) {
    this.separator = separator;
    this.segments = segments;
    this.multiIndex = multiIndex;
    this.multiCapture = multiCapture;
    this.hasVariables = hasVariables;
  }

  static String groupName(int index) {
    return GROUP_PREFIX + index;
  }

  /**
   * @param body            the pattern without any leading separator
   * @param allowCaptureRest whether {@code {*name}} is allowed
   * @throws IllegalArgumentException saying what is wrong and where
   */
  static SegmentPattern parse(String body, char separator, boolean ignoreCase, boolean allowCaptureRest) {
    List<String> texts = split(body, separator);
    Segment[] segments = new Segment[texts.size()];
    Set<String> names = new HashSet<>();
    int multiIndex = -1;
    String multiCapture = null;
    boolean hasVariables = false;
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      boolean captureRest = text.startsWith("{*") && closingBrace(text, 0) == text.length() - 1;
      if (text.equals("**") || captureRest) {
        if (multiIndex >= 0) {
          throw new IllegalArgumentException("only one '**' or '{*name}' is allowed per pattern");
        }
        multiIndex = i;
        if (captureRest) {
          if (!allowCaptureRest) {
            throw new IllegalArgumentException("'{*name}' is not supported here");
          }
          multiCapture = variableName(text.substring(2, text.length() - 1), names);
          hasVariables = true;
        }
        continue;
      }
      if (text.contains("{*")) {
        throw new IllegalArgumentException("'{*name}' must be a whole segment: '" + text + "'");
      }
      segments[i] = compile(text, ignoreCase, names);
      hasVariables |= segments[i] instanceof Segment.Capture || segments[i] instanceof Segment.Regex;
    }
    return new SegmentPattern(separator, segments, multiIndex, multiCapture, hasVariables);
  }

  /** Splits on the separator, except inside {...} (a regexp may contain it). */
  private static List<String> split(String body, char separator) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        if (--depth < 0) {
          throw new IllegalArgumentException("unexpected '}' at position " + i);
        }
      } else if (c == separator && depth == 0) {
        out.add(body.substring(start, i));
        start = i + 1;
      }
    }
    if (depth != 0) {
      throw new IllegalArgumentException("missing '}'");
    }
    out.add(body.substring(start));
    return out;
  }

  private static Segment compile(String text, boolean ignoreCase, Set<String> names) {
    if (text.equals("*")) {
      return new Segment.AnyText();
    }
    if (text.indexOf('{') < 0) {
      return text.indexOf('*') < 0 && text.indexOf('?') < 0
          ? new Segment.Literal(text, ignoreCase)
          : new Segment.Glob(text, ignoreCase);
    }
    if (text.charAt(0) == '{' && closingBrace(text, 0) == text.length() - 1 && text.indexOf(':') < 0) {
      return new Segment.Capture(variableName(text.substring(1, text.length() - 1), names));
    }
    return compileRegex(text, ignoreCase, names);
  }

  private static Segment compileRegex(String text, boolean ignoreCase, Set<String> names) {
    StringBuilder regex = new StringBuilder();
    List<String> vars = new ArrayList<>();
    int literalStart = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '{' && c != '*' && c != '?') {
        i++;
        continue;
      }
      if (i > literalStart) {
        regex.append(Pattern.quote(text.substring(literalStart, i)));
      }
      if (c == '{') {
        int close = closingBrace(text, i);
        String inner = text.substring(i + 1, close);
        int colon = inner.indexOf(':');
        String name = variableName(colon < 0 ? inner : inner.substring(0, colon), names);
        String varRegex = colon < 0 ? ".*" : inner.substring(colon + 1);
        regex.append("(?<").append(groupName(vars.size())).append('>').append(varRegex).append(')');
        vars.add(name);
        i = close + 1;
      } else {
        regex.append(c == '*' ? ".*" : ".");
        i++;
      }
      literalStart = i;
    }
    if (literalStart < text.length()) {
      regex.append(Pattern.quote(text.substring(literalStart)));
    }
    try {
      int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
      return new Segment.Regex(Pattern.compile(regex.toString(), flags), vars.toArray(String[]::new));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("bad regexp in '" + text + "': " + e.getDescription());
    }
  }

  private static int closingBrace(String text, int open) {
    int depth = 0;
    for (int i = open; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("missing '}' in '" + text + "'");
  }

  private static String variableName(String name, Set<String> seen) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty variable name");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
        throw new IllegalArgumentException("bad variable name '" + name + "'");
      }
    }
    if (!seen.add(name)) {
      throw new IllegalArgumentException("variable '" + name + "' is captured twice");
    }
    return name;
  }

  boolean hasVariables() {
    return hasVariables;
  }

  /** True when the last segment is an empty literal, i.e. the pattern ends with a separator. */
  boolean endsWithSeparator() {
    Segment last = segments[segments.length - 1];
    return last instanceof Segment.Literal literal && literal.text().isEmpty();
  }

  /** Matches s[from, to); captured variables go into vars when it is not null. */
  boolean match(String s, int from, int to, Map<String, String> vars) {
    int count = 1;
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == separator) {
        count++;
      }
    }
    int n = segments.length;
    int after = multiIndex < 0 ? 0 : n - 1 - multiIndex;
    if (multiIndex < 0 ? count != n : count < n - 1) {
      return false;
    }
    int segStart = from;
    int multiStart = -1;
    int multiEnd = -1;
    for (int i = 0; i < count; i++) {
      int segEnd = s.indexOf(separator, segStart);
      if (segEnd < 0 || segEnd > to) {
        segEnd = to;
      }
      int p;
      if (multiIndex < 0 || i < multiIndex) {
        p = i;
      } else if (i >= count - after) {
        p = n - (count - i);
      } else {
        if (multiStart < 0) {
          multiStart = segStart;
        }
        multiEnd = segEnd;
        segStart = segEnd + 1;
        continue;
      }
      boolean last = i == count - 1 && p == n - 1;
      if (!segments[p].matches(s, segStart, segEnd, last, vars)) {
        return false;
      }
      segStart = segEnd + 1;
    }
    if (multiCapture != null && vars != null) {
      // the captured rest keeps its leading separator, as Spring's {*path} does: "/a/b"
      vars.put(multiCapture, multiStart < 0 ? "" : s.substring(multiStart - 1, multiEnd));
    }
    return true;
  }
}
