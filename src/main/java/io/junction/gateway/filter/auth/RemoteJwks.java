package io.junction.gateway.filter.auth;

import io.junction.identity.view.JwksVerifier;
import io.junction.identity.view.TokenRejectedException;
import io.junction.identity.view.VerifiedJws;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The JWKS of an external issuer, fetched with the WebClient and kept in memory. The first fetch starts when the
 * route is built; after that the keys are fetched again in the background when they are older than the refresh
 * interval (checked as requests arrive), and at once — at most every 30 s — when a token names a kid the set
 * does not hold (key rotation). A failed fetch keeps the last good keys. Requests never block: the only wait is
 * an asynchronous one, for a rotation refetch already under way (bounded by the 5 s fetch timeout).
 */
final class RemoteJwks {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteJwks.class);
  static final long UNKNOWN_KID_INTERVAL_NANOS = Duration.ofSeconds(30).toNanos();
  static final long NO_KEYS_INTERVAL_NANOS = Duration.ofSeconds(5).toNanos();
  static final long FETCH_TIMEOUT_MS = 5_000;
  static final int MAX_BYTES = 512 * 1024;

  private final WebClient client;
  private final String uri;
  private final long refreshNanos;
  private volatile JwksVerifier keys;
  private volatile long fetchedAt;
  private volatile long forcedAt = System.nanoTime() - UNKNOWN_KID_INTERVAL_NANOS;
  private volatile Future<Void> inFlight;
  private volatile long lastFailureLog;

  RemoteJwks(WebClient client, String uri, Duration refresh) {
    this.client = client;
    this.uri = uri;
    this.refreshNanos = refresh.toNanos();
  }

  String uri() {
    return uri;
  }

  /** The keys held, or null before the first successful fetch. */
  JwksVerifier keys() {
    return keys;
  }

  /** Starts a fetch unless one is under way; the future completes when it ends (successfully or not). */
  synchronized Future<Void> fetch() {
    Future<Void> running = inFlight;
    if (running != null) {
      return running;
    }
    Promise<Void> done = Promise.promise();
    inFlight = done.future();
    try {
      client.getAbs(uri).timeout(FETCH_TIMEOUT_MS).putHeader("Accept", "application/json").send().onComplete(ar -> {
        try {
          if (ar.failed()) {
            failed(ar.cause().getMessage());
          } else if (ar.result().statusCode() != 200) {
            failed("HTTP " + ar.result().statusCode());
          } else if (ar.result().body() == null || ar.result().body().length() > MAX_BYTES) {
            failed("empty or larger than " + MAX_BYTES + " bytes");
          } else {
            accept(JwksVerifier.parse(ar.result().bodyAsString()));
          }
        } catch (RuntimeException e) {
          failed(e.getMessage());
        } finally {
          synchronized (this) {
            inFlight = null;
          }
          done.complete();
        }
      });
    } catch (RuntimeException e) { // a closed Vert.x or client
      inFlight = null;
      failed(e.getMessage());
      done.complete();
    }
    return done.future();
  }

  private void accept(JwksVerifier fetched) {
    fetchedAt = System.nanoTime();
    if (fetched.isEmpty()) {
      failed("no usable key " + fetched.problems());
      return;
    }
    JwksVerifier held = keys;
    if (held == null || !held.source().equals(fetched.source())) {
      keys = fetched; // a changed key set gets a fresh verifier (and cache); an unchanged one keeps its cache
      LOG.info("JWKS {}: {} key(s) {}{}", uri, fetched.kids().size(), fetched.kids(),
        fetched.problems().isEmpty() ? "" : ", skipped: " + fetched.problems());
    }
  }

  private void failed(String why) {
    long now = System.nanoTime();
    if (now - lastFailureLog > Duration.ofSeconds(30).toNanos()) {
      lastFailureLog = now;
      LOG.warn("JWKS {}: fetch failed ({}); {}", uri, why, keys == null ? "no keys yet" : "keeping the last good keys");
    }
  }

  /**
   * Verifies a token's signature with the held keys; an unknown kid (or no keys at all) triggers a refetch
   * (rate-limited) and one more try when it ends. Fails with TokenRejectedException only.
   */
  Future<VerifiedJws> verify(String token) {
    long now = System.nanoTime();
    JwksVerifier held = keys;
    if (held != null && now - fetchedAt > refreshNanos) {
      fetch(); // stale: refresh in the background, use what is held meanwhile
    }
    if (held == null) {
      if (inFlight != null || mayForce(NO_KEYS_INTERVAL_NANOS)) {
        return retryAfterFetch(token);
      }
      return Future.failedFuture(new TokenRejectedException("unavailable", "the issuer's keys could not be fetched"));
    }
    try {
      return Future.succeededFuture(held.verify(token));
    } catch (TokenRejectedException e) {
      if ("token_unknown_key".equals(e.code()) && JwksVerifier.kidOf(token) != null && (inFlight != null || mayForce(UNKNOWN_KID_INTERVAL_NANOS))) {
        return retryAfterFetch(token);
      }
      return Future.failedFuture(e);
    }
  }

  private synchronized boolean mayForce(long interval) {
    long now = System.nanoTime();
    if (now - forcedAt < interval) {
      return false;
    }
    forcedAt = now;
    return true;
  }

  /** Waits (asynchronously) for a fetch, then verifies once more on the caller's own context. */
  private Future<VerifiedJws> retryAfterFetch(String token) {
    Context caller = Vertx.currentContext();
    Promise<VerifiedJws> result = Promise.promise();
    fetch().onComplete(ar -> {
      Runnable retry = () -> {
        JwksVerifier now = keys;
        if (now == null) {
          result.fail(new TokenRejectedException("unavailable", "the issuer's keys could not be fetched"));
          return;
        }
        try {
          result.complete(now.verify(token));
        } catch (TokenRejectedException e) {
          result.fail(e);
        }
      };
      if (caller == null) {
        retry.run();
      } else {
        caller.runOnContext(v -> retry.run());
      }
    });
    return result.future();
  }
}
