package io.junction.cache;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.function.Supplier;

/**
 * One long-lived Redis connection for the cache, shared by every thread: requests are pipelined on it, so a
 * burst of reads does not queue for a pooled connection per request (a round trip each, which on a small
 * machine pushed reads past the L2 timeout).
 *
 * <p>{@link #reset} (the circuit calls it when it opens and after each failed probe) closes the whole client,
 * not just the connection: a connect whose handshake a hung server never answers would otherwise hold its
 * pool slot for good, and a connection that lost replies mid-pipeline would pair later replies with the wrong
 * requests. The next request opens a new client and connection.
 */
final class RedisLink {
  private final Supplier<Redis> clients;
  private Redis client;
  private Future<RedisConnection> current;

  RedisLink(Supplier<Redis> clients) {
    this.clients = clients;
  }

  Future<Response> send(Request request) {
    return connection().compose(connection -> connection.send(request));
  }

  private synchronized Future<RedisConnection> connection() {
    if (current == null) {
      if (client == null) {
        client = clients.get();
      }
      Future<RedisConnection> opening = client.connect();
      current = opening;
      opening.onComplete(ar -> {
        if (ar.failed()) {
          forget(opening);
        } else {
          ar.result().exceptionHandler(e -> forget(opening)).endHandler(v -> forget(opening));
        }
      });
    }
    return current;
  }

  private synchronized void forget(Future<RedisConnection> connection) {
    if (current == connection) {
      current = null;
    }
  }

  synchronized void reset() {
    current = null;
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
