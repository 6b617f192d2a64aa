package io.junction.gateway.filter;

import io.vertx.core.MultiMap;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import java.util.ArrayList;
import java.util.List;

/** A Vert.x server request as the gateway's {@link Inbound}. */
public record VertxInbound(HttpServerRequest request) implements Inbound {
  @Override
  public String method() {
    return request.method().name();
  }

  @Override
  public String query() {
    return request.query();
  }

  @Override
  public MultiMap headers() {
    return request.headers();
  }

  @Override
  public String remoteHost() {
    SocketAddress peer = request.remoteAddress();
    return peer == null ? null : peer.hostAddress();
  }

  @Override
  public List<String> cookies(String name) {
    List<String> out = new ArrayList<>(1);
    for (Cookie c : request.cookies(name)) {
      out.add(c.getValue());
    }
    return out;
  }
}
