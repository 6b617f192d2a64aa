package io.junction.gateway.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Headers of a proxied hop: hop-by-hop headers are dropped (RFC 9110 §7.6.1, plus any named in Connection),
 * and the client's address, scheme, host and port are passed on as X-Forwarded-* and Forwarded (RFC 7239).
 */
final class ForwardHeaders {
  /** Hop-by-hop headers, plus Expect: the gateway answers 100-continue itself and streams the body on. */
  /** Case-insensitive, so a header name is looked up as it came, without a lower-cased copy per header. */
  private static final Set<String> HOP_BY_HOP = caseInsensitive("connection", "keep-alive", "proxy-authenticate",
    "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "http2-settings", "expect");

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
    copyEndToEnd(in, in.get("Connection"), out);
  }

  /** The same for any header list (Netty's headers on the direct relay); connection = its Connection header. */
  static void copyEndToEnd(Iterable<Map.Entry<String, String>> in, String connection, MultiMap out) {
    for (var e : in) {
      String name = e.getKey();
      if (HOP_BY_HOP.contains(name) || (connection != null && namedIn(connection, name))) {
        continue;
      }
      out.add(name, e.getValue());
    }
  }

  /** Whether the Connection header's comma-separated list names the header (no split: it is read on every response). */
  private static boolean namedIn(String connection, String name) {
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
      if (to - from == name.length() && connection.regionMatches(true, from, name, 0, name.length())) {
        return true;
      }
      i = end + 1;
    }
    return false;
  }

  private static boolean blank(char c) {
    return c == ' ' || c == '\t';
  }

  /** Several header lines of a list header are one list (RFC 9110 §5.3): keep every hop, in order. */
  private static String joined(MultiMap headers, String name) {
    List<String> lines = headers.getAll(name);
    return lines.isEmpty() ? null : lines.size() == 1 ? lines.get(0) : String.join(", ", lines);
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
    addForwarded(peer == null ? null : peer.hostAddress(), request.isSSL(), hostOf(request), local == null ? -1 : local.port(), out);
  }

  /**
   * The same from the connection's facts: client = the peer's IP (null: unknown), host = the Host header,
   * localPort = the listener's port (-1: unknown, the scheme's default is sent).
   */
  static void addForwarded(String clientHost, boolean ssl, String host, int localPort, MultiMap out) {
    String client = clientHost == null ? "unknown" : clientHost;
    String proto = ssl ? "https" : "http";
    String existing = joined(out, "X-Forwarded-For");
    out.set("X-Forwarded-For", existing == null ? client : existing + ", " + client);
    if (!out.contains("X-Forwarded-Proto")) {
      out.set("X-Forwarded-Proto", proto);
    }
    if (host != null && !out.contains("X-Forwarded-Host")) {
      out.set("X-Forwarded-Host", host);
    }
    if (!out.contains("X-Forwarded-Port")) {
      out.set("X-Forwarded-Port", String.valueOf(localPort < 0 ? (ssl ? 443 : 80) : localPort));
    }
    StringBuilder forwarded = new StringBuilder("for=");
    forwarded.append(client.indexOf(':') >= 0 ? "\"[" + client + "]\"" : client).append(";proto=").append(proto);
    if (host != null) {
      forwarded.append(";host=\"").append(host.replace("\"", "")).append('"');
    }
    String previous = joined(out, "Forwarded");
    out.set("Forwarded", previous == null ? forwarded.toString() : previous + ", " + forwarded);
  }

  private static Set<String> caseInsensitive(String... names) {
    Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(List.of(names));
    return Collections.unmodifiableSet(set);
  }
}
