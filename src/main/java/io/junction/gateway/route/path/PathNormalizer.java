package io.junction.gateway.route.path;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the raw request path into the one form that routing sees, so that
 * {@code /api/../admin}, {@code /api/%2e%2e/admin} and {@code //admin} cannot
 * match one route here and reach another resource upstream.
 *
 * <p>Steps, in order:
 * <ol>
 *   <li>percent-decode once, as UTF-8 ({@code %252e} becomes the text {@code %2e}, never {@code .});</li>
 *   <li>reject what cannot be represented safely: malformed escapes or UTF-8, an encoded
 *   slash {@code %2F} (it would turn into a separator upstream), a backslash raw or
 *   encoded (some servers treat it as a separator), and control characters including NUL;</li>
 *   <li>collapse empty segments ({@code //});</li>
 *   <li>resolve {@code .} and {@code ..} (RFC 3986 section 5.2.4); a {@code ..} above the root
 *   is rejected, as is a dot segment with parameters ({@code ..;x}), which Tomcat would
 *   still treat as {@code ..};</li>
 *   <li>keep a trailing slash ({@code /a/b/..} gives {@code /a/}).</li>
 * </ol>
 * A rejected path gets null from {@link #normalize}; {@link #rejectionReason}
 * says why, for the 400 response. Forward {@link #encode}{@code (normalized)}
 * upstream, never the raw path.
 */
public final class PathNormalizer {

  private PathNormalizer() {
  }

  /** The normalised, decoded path (at least {@code /}), or null when the path is rejected. */
  public static String normalize(String rawPath) {
    try {
      return run(rawPath);
    } catch (Rejected e) {
      return null;
    }
  }

  /** Why {@link #normalize} rejects the path, or null when it does not. */
  public static String rejectionReason(String rawPath) {
    try {
      run(rawPath);
      return null;
    } catch (Rejected e) {
      return e.getMessage();
    }
  }

  private static String run(String raw) {
    if (raw == null || raw.isEmpty()) {
      return "/";
    }
    if (raw.charAt(0) != '/') {
      throw new Rejected("path must start with '/'");
    }
    String decoded = raw.indexOf('%') < 0 ? raw : decode(raw);
    boolean needsDotWork = false;
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new Rejected("control character in path");
      }
      if (c == '\\') {
        throw new Rejected("backslash in path");
      }
      if (c == '/' && i + 1 < decoded.length()) {
        char next = decoded.charAt(i + 1);
        needsDotWork |= next == '/' || next == '.';
      }
    }
    return needsDotWork ? resolveSegments(decoded) : decoded;
  }

  private static String decode(String raw) {
    byte[] bytes = new byte[raw.length() * 3];
    int len = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int lo = hi < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
        if (lo < 0) {
          throw new Rejected("malformed percent-encoding");
        }
        int b = hi * 16 + lo;
        if (b == '/') {
          throw new Rejected("encoded slash (%2F) in path");
        }
        bytes[len++] = (byte) b;
        i += 2;
      } else if (c < 0x80) {
        bytes[len++] = (byte) c;
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
          utf8 = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        System.arraycopy(utf8, 0, bytes, len, utf8.length);
        len += utf8.length;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, len))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Rejected("percent-encoding is not valid UTF-8");
    }
  }

  private static String resolveSegments(String path) {
    StringBuilder out = new StringBuilder(path.length());
    int[] starts = new int[path.length()]; // where each kept segment's '/' begins in out
    int depth = 0;
    boolean trailingSlash = false;
    int i = 1;
    while (i <= path.length()) {
      int end = path.indexOf('/', i);
      if (end < 0) {
        end = path.length();
      }
      boolean last = end == path.length();
      int len = end - i;
      if (len == 0 || isDots(path, i, end, 1)) {
        trailingSlash = last;
      } else if (isDots(path, i, end, 2)) {
        if (depth == 0) {
          throw new Rejected("path escapes the root with '..'");
        }
        out.setLength(starts[--depth]);
        trailingSlash = last;
      } else if (isDotsWithParameters(path, i, end)) {
        throw new Rejected("dot segment with parameters ('..;')");
      } else {
        starts[depth++] = out.length();
        out.append('/').append(path, i, end);
        trailingSlash = false;
      }
      i = end + 1;
    }
    if (out.length() == 0 || trailingSlash) {
      out.append('/');
    }
    return out.toString();
  }

  private static boolean isDots(String s, int start, int end, int count) {
    if (end - start != count) {
      return false;
    }
    for (int i = start; i < end; i++) {
      if (s.charAt(i) != '.') {
        return false;
      }
    }
    return true;
  }

  private static boolean isDotsWithParameters(String s, int start, int end) {
    int semicolon = s.indexOf(';', start);
    return semicolon > start && semicolon < end
        && (isDots(s, start, semicolon, 1) || isDots(s, start, semicolon, 2));
  }

  /**
   * Percent-encodes a normalised path for the upstream request line: every
   * byte outside RFC 3986 {@code pchar} and {@code /}, including {@code %}
   * itself, so the upstream decodes exactly what was routed on. Returns the
   * same string when nothing needs encoding.
   */
  public static String encode(String path) {
    int i = 0;
    while (i < path.length() && isPathChar(path.charAt(i))) {
      i++;
    }
    if (i == path.length()) {
      return path;
    }
    StringBuilder out = new StringBuilder(path.length() + 16).append(path, 0, i);
    for (byte b : path.substring(i).getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if (c < 0x80 && isPathChar(c)) {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }

  private static boolean isPathChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
        || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
  }

  /** Cheap: no stack trace, only thrown for hostile or broken paths. */
  private static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Rejected(String message) {
      super(message, null, false, false);
    }
  }
}
