package io.junction.gateway.proxy;

import io.junction.gateway.filter.Inbound;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.List;

/** A request on the direct relay as the gateway's {@link Inbound}: Netty's request, read as Vert.x would. */
record RelayInbound(HttpRequest request, String query, String remoteHost) implements Inbound {
  @Override
  public String method() {
    return request.method().name();
  }

  @Override
  public MultiMap headers() {
    return (MultiMap) request.headers(); // Vert.x's request decoder makes its headers a MultiMap
  }

  /** Decoded as Vert.x decodes the Cookie header (strict). */
  @Override
  public List<String> cookies(String name) {
    String header = request.headers().get("Cookie");
    if (header == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(1);
    for (Cookie c : ServerCookieDecoder.STRICT.decode(header)) {
      if (c.name().equals(name)) {
        out.add(c.value());
      }
    }
    return out;
  }
}
