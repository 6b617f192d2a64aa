package io.junction.gateway.filter.auth;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The external JWKS the gateway's routes use, one per URL and refresh interval, shared by every route that
 * names it and kept across config reloads (a reload does not refetch keys it already has). The gateway module
 * owns one and closes it on stop.
 */
public final class JwksSources implements AutoCloseable {
  private final Vertx vertx;
  private final Map<String, RemoteJwks> sources = new ConcurrentHashMap<>();
  private volatile WebClient client;

  public JwksSources(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The source for this URL, created (and its first fetch started) on first use. */
  RemoteJwks get(String uri, Duration refresh) {
    return sources.computeIfAbsent(uri + " " + refresh.toMillis(), k -> {
      RemoteJwks source = new RemoteJwks(client(), uri, refresh);
      source.fetch();
      return source;
    });
  }

  private synchronized WebClient client() {
    if (client == null) {
      client = WebClient.create(vertx, new WebClientOptions().setUserAgent("Junction-JWKS").setConnectTimeout(5_000)
        .setFollowRedirects(false));
    }
    return client;
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
    }
    sources.clear();
  }
}
