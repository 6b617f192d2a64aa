package io.junction.gateway.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Headers of a proxied hop: hop-by-hop headers are dropped (RFC 9110 §7.6.1, plus any named in Connection),
 * and the client's address, scheme, host and port are passed on as X-Forwarded-* and Forwarded (RFC 7239).
 */
final class ForwardHeaders {
  /**
   * Hop-by-hop headers (RFC 9110 §7.6.1), plus Expect: the gateway answers 100-continue itself and streams the
   * body on. Grouped by length, so most names are passed over after one length check, without a lower-cased copy.
   */
  private static final AsciiString[][] HOP_BY_HOP = byLength("connection", "keep-alive", "proxy-authenticate",
    "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "http2-settings", "expect");
  // names looked up on every request, with their hash computed once
  private static final AsciiString CONNECTION = AsciiString.cached("Connection");
  private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("X-Forwarded-For");
  private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("X-Forwarded-Proto");
  private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("X-Forwarded-Host");
  private static final AsciiString X_FORWARDED_PORT = AsciiString.cached("X-Forwarded-Port");
  private static final AsciiString FORWARDED = AsciiString.cached("Forwarded");

  private ForwardHeaders() {
  }

  /** A copy of the headers without hop-by-hop ones. */
  static MultiMap endToEnd(MultiMap in) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    copyEndToEnd(in, out);
    return out;
  }

  /** Copies end-to-end headers into {@code out} (a response's own map, to avoid a second copy). */
  static void copyEndToEnd(MultiMap in, MultiMap out) {
    if (in instanceof HttpHeaders netty) {
      copyEndToEnd(netty, out); // Vert.x's maps: names kept as they are (hashes cached), no String copies
    } else {
      copyEndToEnd(in, in.get(CONNECTION), out);
    }
  }

  /** The same for Netty's header maps (Vert.x's are Netty's too). */
  static void copyEndToEnd(HttpHeaders in, MultiMap out) {
    String connection = in.get(CONNECTION);
    Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iteratorCharSequence();
    while (it.hasNext()) {
      Map.Entry<CharSequence, CharSequence> e = it.next();
      CharSequence name = e.getKey();
      if (isHopByHop(name) || (connection != null && namedIn(connection, name))) {
        continue;
      }
      out.add(name, e.getValue());
    }
  }

  /** The same for any header list (Netty's headers on the direct relay); connection = its Connection header. */
  static void copyEndToEnd(Iterable<Map.Entry<String, String>> in, String connection, MultiMap out) {
    for (var e : in) {
      String name = e.getKey();
      if (isHopByHop(name) || (connection != null && namedIn(connection, name))) {
        continue;
      }
      out.add(name, e.getValue());
    }
  }

  /** Whether the Connection header's comma-separated list names the header (no split: it is read on every response). */
  private static boolean namedIn(String connection, CharSequence name) {
    int i = 0;
    int n = connection.length();
    while (i < n) {
      int end = connection.indexOf(',', i);
      if (end < 0) {
        end = n;
      }
      int from = i;
      int to = end;
      while (from < to && blank(connection.charAt(from))) {
        from++;
      }
      while (to > from && blank(connection.charAt(to - 1))) {
        to--;
      }
      if (to - from == name.length() && AsciiString.regionMatches(connection, true, from, name, 0, name.length())) {
        return true;
      }
      i = end + 1;
    }
    return false;
  }

  private static boolean blank(char c) {
    return c == ' ' || c == '\t';
  }

  /** The Host header of HTTP/1.x, or the :authority of HTTP/2. */
  static String hostOf(HttpServerRequest request) {
    String host = request.headers().get("Host");
    if (host == null && request.authority() != null) {
      host = request.authority().toString();
    }
    return host;
  }

  /** Appends this hop to X-Forwarded-For and Forwarded; sets X-Forwarded-Proto/Host/Port when absent. */
  static void addForwarded(HttpServerRequest request, MultiMap out) {
    SocketAddress peer = request.remoteAddress();
    SocketAddress local = request.localAddress();
    new Hop(peer == null ? null : peer.hostAddress(), request.isSSL(), local == null ? -1 : local.port()).addTo(hostOf(request), out);
  }

  /**
   * This hop as the forwarding headers describe it: the client's address, the scheme and the listener's port,
   * fixed for a connection. The direct relay keeps one per connection, so the strings are built once and the
   * Forwarded element again only when the Host changes.
   */
  static final class Hop {
    private final String client;
    private final String proto;
    private final String port;
    private String host;
    private String element;

    /** @param clientHost the peer's IP (null: unknown); localPort the listener's port (-1: the scheme's default) */
    Hop(String clientHost, boolean ssl, int localPort) {
      this.client = clientHost == null ? "unknown" : clientHost;
      this.proto = ssl ? "https" : "http";
      this.port = String.valueOf(localPort < 0 ? (ssl ? 443 : 80) : localPort);
    }

    /** Adds this hop for a request with this Host header (null: none). */
    void addTo(String requestHost, MultiMap out) {
      String existing = joined(out, X_FORWARDED_FOR);
      out.set(X_FORWARDED_FOR, existing == null ? client : existing + ", " + client);
      if (!out.contains(X_FORWARDED_PROTO)) {
        out.set(X_FORWARDED_PROTO, proto);
      }
      if (requestHost != null && !out.contains(X_FORWARDED_HOST)) {
        out.set(X_FORWARDED_HOST, requestHost);
      }
      if (!out.contains(X_FORWARDED_PORT)) {
        out.set(X_FORWARDED_PORT, port);
      }
      String mine = element(requestHost);
      String previous = joined(out, FORWARDED);
      out.set(FORWARDED, previous == null ? mine : previous + ", " + mine);
    }

    /** RFC 7239 element of this hop: for=...;proto=...[;host="..."]. */
    private String element(String requestHost) {
      if (element != null && java.util.Objects.equals(host, requestHost)) {
        return element;
      }
      StringBuilder forwarded = new StringBuilder("for=");
      forwarded.append(client.indexOf(':') >= 0 ? "\"[" + client + "]\"" : client).append(";proto=").append(proto);
      if (requestHost != null) {
        forwarded.append(";host=\"").append(requestHost.replace("\"", "")).append('"');
      }
      host = requestHost;
      element = forwarded.toString();
      return element;
    }
  }

  /** Several header lines of a list header are one list (RFC 9110 §5.3): keep every hop, in order. */
  private static String joined(MultiMap headers, CharSequence name) {
    if (!headers.contains(name)) {
      return null; // the usual case, without a list
    }
    List<String> lines = headers.getAll(name);
    return lines.size() == 1 ? lines.get(0) : String.join(", ", lines);
  }

  static boolean isHopByHop(CharSequence name) {
    int n = name.length();
    if (n >= HOP_BY_HOP.length) {
      return false;
    }
    for (AsciiString hop : HOP_BY_HOP[n]) {
      if (hop.contentEqualsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  private static AsciiString[][] byLength(String... names) {
    int longest = 0;
    for (String n : names) {
      longest = Math.max(longest, n.length());
    }
    AsciiString[][] table = new AsciiString[longest + 1][0];
    for (String n : names) {
      AsciiString[] same = Arrays.copyOf(table[n.length()], table[n.length()].length + 1);
      same[same.length - 1] = AsciiString.cached(n);
      table[n.length()] = same;
    }
    return table;
  }
}
