package io.junction.gateway.proxy;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.UpstreamException;
import io.junction.gateway.route.path.PathNormalizer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * WebSocket routes: the upstream handshake happens first (so a refused upstream is a clean 502 to the client),
 * then the client is upgraded and frames are relayed both ways as they are (text stays text, fragments stay
 * fragments), with back-pressure, and a close on one side closes the other with the same code.
 */
final class WebSocketRelay {
  private final WebSocketClient client;

  WebSocketRelay(WebSocketClient client) {
    this.client = client;
  }

  static boolean isUpgrade(HttpServerRequest request) {
    return request.canUpgradeToWebSocket();
  }

  Future<Void> relay(Exchange ex, Target target, long connectTimeoutMs) {
    HttpServerRequest inbound = ex.request();
    String query = ex.encodedQuery();
    String uri = PathNormalizer.encode(ex.path());
    WebSocketConnectOptions options = new WebSocketConnectOptions()
      .setHost(target.host()).setPort(target.port()).setSsl(target.ssl())
      .setURI(query == null ? uri : uri + "?" + query)
      .setConnectTimeout(connectTimeoutMs)
      .setAllowOriginHeader(false);
    MultiMap headers = ex.requestHeaders();
    for (var e : headers) {
      String lower = e.getKey().toLowerCase(Locale.ROOT);
      if (!lower.startsWith("sec-websocket-") && !lower.equals("host")) {
        options.addHeader(e.getKey(), e.getValue());
      }
    }
    String protocols = inbound.getHeader("Sec-WebSocket-Protocol");
    if (protocols != null) {
      List<String> offered = Arrays.stream(protocols.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
      options.setSubProtocols(offered);
    }
    return client.connect(options)
      .recover(err -> Future.failedFuture(new UpstreamException(UpstreamException.Kind.CONNECT,
        "WebSocket handshake with upstream " + target.authority() + " failed: " + err.getMessage(), err)))
      .compose(upstream -> upgrade(inbound, upstream));
  }

  private static Future<Void> upgrade(HttpServerRequest inbound, WebSocket upstream) {
    upstream.pause(); // hold what the upstream sends while the client's handshake completes
    return inbound.toWebSocket().<Void>map(downstream -> {
      pipe(downstream, upstream);
      pipe(upstream, downstream);
      upstream.resume();
      return null;
    }).onFailure(err -> upstream.close());
  }

  private static void pipe(WebSocketBase from, WebSocketBase to) {
    from.frameHandler((WebSocketFrame frame) -> {
      if (frame.isClose()) {
        return; // closeHandler below carries the code
      }
      to.writeFrame(frame);
      if (to.writeQueueFull()) {
        from.pause();
        to.drainHandler(v -> from.resume());
      }
    });
    from.closeHandler(v -> {
      if (!to.isClosed()) {
        Short code = from.closeStatusCode();
        to.close(code == null ? 1000 : code, from.closeReason());
      }
    });
    from.exceptionHandler(err -> to.close((short) 1011, "peer failed"));
  }
}
