package io.junction.gateway.route.path;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compiled matcher for one separator-delimited segment of a pattern. It
 * matches a region of the input string in place, so matching a request never
 * copies the path (only a captured value is copied out).
 */
interface Segment {

  /**
   * @param s     the whole input (path or host)
   * @param start first char of the segment
   * @param end   one past its last char
   * @param last  true when this is the last segment of both pattern and input
   * @param vars  receives captured variables; null when the caller only wants yes/no
   */
  boolean matches(String s, int start, int end, boolean last, Map<String, String> vars);

  /** Plain text, compared as is (or ignoring case for hosts). */
  record Literal(String text, boolean ignoreCase) implements Segment {
    @Override
    public boolean matches(String s, int start, int end, boolean last, Map<String, String> vars) {
      return end - start == text.length() && s.regionMatches(ignoreCase, start, text, 0, text.length());
    }
  }

  /**
   * A whole-segment {@code *}: any text, but not an empty segment in the middle
   * ({@code /a/*} matches {@code /a/} yet {@code /a/*}{@code /b} does not match {@code /a//b}).
   */
  record AnyText() implements Segment {
    @Override
    public boolean matches(String s, int start, int end, boolean last, Map<String, String> vars) {
      return end > start || last;
    }
  }

  /** A whole-segment {@code {name}}: captures non-empty text. */
  record Capture(String name) implements Segment {
    @Override
    public boolean matches(String s, int start, int end, boolean last, Map<String, String> vars) {
      if (end == start) {
        return false;
      }
      if (vars != null) {
        vars.put(name, s.substring(start, end));
      }
      return true;
    }
  }

  /**
   * Text with {@code *} (any run of chars) and {@code ?} (exactly one char),
   * matched without a regexp so it allocates nothing.
   */
  record Glob(String glob, boolean ignoreCase) implements Segment {
    @Override
    public boolean matches(String s, int start, int end, boolean last, Map<String, String> vars) {
      int p = 0;
      int t = start;
      int starP = -1;
      int starT = -1;
      int len = glob.length();
      while (t < end) {
        char g = p < len ? glob.charAt(p) : 0;
        if (p < len && g != '*' && (g == '?' || same(g, s.charAt(t)))) {
          p++;
          t++;
        } else if (p < len && g == '*') {
          starP = p++;
          starT = t;
        } else if (starP >= 0) {
          p = starP + 1; // let the last '*' swallow one more char and retry
          t = ++starT;
        } else {
          return false;
        }
      }
      while (p < len && glob.charAt(p) == '*') {
        p++;
      }
      return p == len;
    }

    private boolean same(char a, char b) {
      return a == b || ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b);
    }
  }

  /**
   * Anything with a variable that is not a plain whole segment: {@code {id:\d+}},
   * {@code {name}.html}, {@code {a}-{b}}. Variables map to named groups, so a
   * user regexp may contain its own groups.
   */
  record Regex(Pattern pattern, String[] names) implements Segment {
    @Override
    public boolean matches(String s, int start, int end, boolean last, Map<String, String> vars) {
      Matcher m = pattern.matcher(s).region(start, end);
      if (!m.matches()) {
        return false;
      }
      if (vars != null) {
        for (int i = 0; i < names.length; i++) {
          vars.put(names[i], m.group(SegmentPattern.groupName(i)));
        }
      }
      return true;
    }
  }
}
