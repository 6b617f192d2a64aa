package io.junction.gateway.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import java.util.Locale;
import java.util.Set;

/**
 * Headers of a proxied hop: hop-by-hop headers are dropped (RFC 9110 §7.6.1, plus any named in Connection),
 * and the client's address, scheme, host and port are passed on as X-Forwarded-* and Forwarded (RFC 7239).
 */
final class ForwardHeaders {
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
    "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "http2-settings");

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
    String connection = in.get("Connection");
    for (var e : in) {
      String lower = e.getKey().toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(lower) || (connection != null && namedIn(connection, lower))) {
        continue;
      }
      out.add(e.getKey(), e.getValue());
    }
  }

  private static boolean namedIn(String connection, String lowerName) {
    for (String token : connection.split(",")) {
      if (token.trim().toLowerCase(Locale.ROOT).equals(lowerName)) {
        return true;
      }
    }
    return false;
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
    String client = peer == null ? "unknown" : peer.hostAddress();
    String proto = request.isSSL() ? "https" : "http";
    String host = hostOf(request);
    String existing = out.get("X-Forwarded-For");
    out.set("X-Forwarded-For", existing == null ? client : existing + ", " + client);
    if (!out.contains("X-Forwarded-Proto")) {
      out.set("X-Forwarded-Proto", proto);
    }
    if (host != null && !out.contains("X-Forwarded-Host")) {
      out.set("X-Forwarded-Host", host);
    }
    if (!out.contains("X-Forwarded-Port")) {
      SocketAddress local = request.localAddress();
      out.set("X-Forwarded-Port", String.valueOf(local == null ? (request.isSSL() ? 443 : 80) : local.port()));
    }
    StringBuilder forwarded = new StringBuilder("for=");
    forwarded.append(client.indexOf(':') >= 0 ? "\"[" + client + "]\"" : client).append(";proto=").append(proto);
    if (host != null) {
      forwarded.append(";host=\"").append(host.replace("\"", "")).append('"');
    }
    String previous = out.get("Forwarded");
    out.set("Forwarded", previous == null ? forwarded.toString() : previous + ", " + forwarded);
  }
}
