package io.junction.gateway.route.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Parses IP address literals without ever touching DNS. {@code InetAddress.getByName}
 * would resolve anything that is not a literal, and header values such as
 * X-Forwarded-For are attacker-controlled: a lookup per request is both slow
 * and a way to make the gateway talk to arbitrary resolvers.
 */
public final class IpAddresses {

  private IpAddresses() {
  }

  /**
   * A dotted-quad IPv4 or an IPv6 literal (with {@code ::}, an embedded IPv4
   * tail, an optional {@code %zone} which is ignored), or null when the text
   * is anything else. IPv4-mapped IPv6 literals come back as IPv4 addresses.
   */
  public static InetAddress parseLiteral(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    byte[] bytes = text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text, 0, text.length());
    if (bytes == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      return null; // only thrown for a wrong length, which the parsers never produce
    }
  }

  /**
   * A client address as proxies write it in X-Forwarded-For: a literal,
   * optionally {@code [v6]}, {@code [v6]:port} or {@code v4:port}; null otherwise.
   */
  public static InetAddress parseClient(String value) {
    if (value == null) {
      return null;
    }
    String text = value.trim();
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0 || !(close == text.length() - 1 || text.charAt(close + 1) == ':')) {
        return null;
      }
      return parseLiteral(text.substring(1, close));
    }
    int colon = text.indexOf(':');
    if (colon > 0 && colon == text.lastIndexOf(':')) {
      text = text.substring(0, colon); // one colon: IPv4 with a port
    }
    return parseLiteral(text);
  }

  static byte[] parseV4(String s, int from, int to) {
    byte[] out = new byte[4];
    int part = 0;
    int i = from;
    while (part < 4) {
      int start = i;
      int value = 0;
      while (i < to && i - start < 3 && Character.isDigit(s.charAt(i))) {
        value = value * 10 + (s.charAt(i) - '0');
        i++;
      }
      if (i == start || value > 255) {
        return null;
      }
      out[part++] = (byte) value;
      if (part < 4) {
        if (i >= to || s.charAt(i) != '.') {
          return null;
        }
        i++;
      }
    }
    return i == to ? out : null;
  }

  private static byte[] parseV6(String s) {
    int end = s.indexOf('%');
    if (end == 0 || end == s.length() - 1) {
      return null;
    }
    if (end < 0) {
      end = s.length();
    }
    int gap = s.indexOf("::");
    if (gap >= end) {
      gap = -1;
    }
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0 && s.indexOf("::", gap + 1) < end) {
      return null; // "::" may appear once
    }
    byte[] head = new byte[16];
    byte[] tail = new byte[16];
    int headLen = gap < 0 ? groups(s, 0, end, head) : groups(s, 0, gap, head);
    int tailLen = gap < 0 ? 0 : groups(s, gap + 2, end, tail);
    if (headLen < 0 || tailLen < 0) {
      return null;
    }
    if (gap < 0 ? headLen != 16 : headLen + tailLen > 14) {
      return null; // "::" stands for at least one zero group
    }
    byte[] out = new byte[16];
    System.arraycopy(head, 0, out, 0, headLen);
    System.arraycopy(tail, 0, out, 16 - tailLen, tailLen);
    return out;
  }

  /** Colon-separated hex groups of s[from, to) into out; the last may be IPv4. Bytes written, or -1. */
  private static int groups(String s, int from, int to, byte[] out) {
    if (from == to) {
      return 0;
    }
    int len = 0;
    int start = from;
    while (true) {
      int colon = s.indexOf(':', start);
      int groupEnd = colon < 0 || colon >= to ? to : colon;
      boolean lastGroup = groupEnd == to;
      if (lastGroup && s.indexOf('.', start) >= 0 && s.indexOf('.', start) < to) {
        byte[] v4 = parseV4(s, start, to);
        if (v4 == null || len + 4 > 16) {
          return -1;
        }
        System.arraycopy(v4, 0, out, len, 4);
        return len + 4;
      }
      int digits = groupEnd - start;
      if (digits < 1 || digits > 4 || len + 2 > 16) {
        return -1;
      }
      int value = 0;
      for (int i = start; i < groupEnd; i++) {
        int d = Character.digit(s.charAt(i), 16);
        if (d < 0) {
          return -1;
        }
        value = value * 16 + d;
      }
      out[len++] = (byte) (value >> 8);
      out[len++] = (byte) value;
      if (lastGroup) {
        return len;
      }
      start = groupEnd + 1;
    }
  }
}
