package io.junction.cache;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Redis as the shared second level, behind a timeout and a circuit, so that Redis trouble costs a request at
 * most one timeout and usually nothing:
 * <ul>
 *   <li>every call is bounded by {@link L2Settings#timeout()};</li>
 *   <li>{@code failureThreshold} consecutive failed reads (or fills), or any failed delete or write-through put, open the circuit:
 *       calls are then skipped at once (callers go to L1 and their loader);</li>
 *   <li>while open, a timer probes Redis every {@code retryAfter}; the probe replays the deletes that were
 *       missed ({@link PendingDeletes}) and only when they are all done does L2 serve reads again — a value
 *       invalidated during the outage is never read back from Redis afterwards.</li>
 * </ul>
 * One outage logs one warning when it starts, one line a minute while it lasts and one when it ends.
 * Write methods never fail: a write Redis did not take is recorded for replay instead.
 */
final class RedisL2 {
  private static final Logger LOG = LoggerFactory.getLogger(RedisL2.class);
  private static final String PREFIX = "junction:";
  private static final long STILL_DOWN_LOG_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final int DELETE_CHUNK = 500;
  /** Thrown (without a stack) for calls skipped while the circuit is open. */
  static final VertxException SKIPPED = new VertxException("Redis circuit open: L2 skipped", true);

  private final Vertx vertx;
  private final RedisLink link;
  private final L2Settings settings;
  private final L2Errors errors;
  private final PendingDeletes pending = new PendingDeletes();
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private volatile boolean open;
  private volatile boolean closed;
  private long openedAt;
  private long lastLoggedAt;
  private long probeTimer = -1;

  /** @param clients makes a Redis client (see {@link RedisLink}: a fresh one after each reset) */
  RedisL2(Vertx vertx, Supplier<Redis> clients, L2Settings settings, MeterRegistry registry) {
    this.vertx = vertx;
    this.link = new RedisLink(clients);
    this.settings = settings;
    this.errors = new L2Errors(registry);
    Gauge.builder("junction.cache.l2.circuit.open", this, l2 -> l2.open ? 1 : 0)
      .description("1 while Redis (L2) is skipped after failures, 0 when it is used").register(registry);
  }

  /**
   * Opens the connection before the first read needs it (connecting and the handshake can take longer than the
   * L2 timeout, more so in a JVM that just started). Waits at most {@code startWait}; never fails: if Redis
   * does not answer, the circuit starts open and the probes bring L2 in when it does.
   */
  Future<Void> open(Duration startWait) {
    return link.send(Request.cmd(Command.PING)).timeout(startWait.toMillis(), TimeUnit.MILLISECONDS)
      .transform(ar -> {
        if (ar.failed()) {
          trip(ar.cause());
        }
        return Future.succeededFuture();
      });
  }

  static String key(String cache, String key) {
    return PREFIX + cache + ":" + key;
  }

  boolean isOpen() {
    return open;
  }

  /** The value's JSON text, or null when Redis has no such key; fails when Redis failed or was skipped. */
  Future<String> get(String cache, String key) {
    return send(cache, Request.cmd(Command.GET).arg(key(cache, key)))
      .map(r -> r == null ? null : r.toString());
  }

  /**
   * Copies a freshly loaded value to L2. Best effort: skipped while the circuit is open and counted like a read
   * when it fails, but nothing is recorded for replay — no write was lost, only a copy was not made.
   */
  Future<Void> fill(String cache, String key, String value, Duration ttl) {
    Request set = Request.cmd(Command.SET).arg(key(cache, key)).arg(value).arg("PX").arg(Math.max(1, ttl.toMillis()));
    return send(cache, set).<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }

  /** Write-through: a put Redis does not take is recorded for replay as a delete (the old value must not stay). */
  Future<Void> set(String cache, String key, String value, Duration ttl) {
    String redisKey = key(cache, key);
    return write(cache, redisKey, Request.cmd(Command.SET).arg(redisKey).arg(value).arg("PX").arg(Math.max(1, ttl.toMillis())));
  }

  Future<Void> delete(String cache, String key) {
    String redisKey = key(cache, key);
    return write(cache, redisKey, Request.cmd(Command.DEL).arg(redisKey));
  }

  /** Deletes every key of the cache (SCAN + UNLINK, each step bounded by the timeout). */
  Future<Void> deleteAll(String cache) {
    if (recordWhileOpen(cache, null)) {
      return Future.succeededFuture();
    }
    return scanDelete(cache, this::bounded).transform(ar -> {
      if (ar.failed()) {
        pending.flush(cache);
        errors.count(cache, reason(ar.cause()));
        trip(ar.cause());
      }
      return Future.succeededFuture();
    });
  }

  /**
   * While the circuit is open, records the delete instead of sending it. Under the lock {@link #recovered}
   * takes, so a delete recorded during the last replay round is seen before reads resume.
   */
  private synchronized boolean recordWhileOpen(String cache, String redisKey) {
    if (!open) {
      return false;
    }
    if (redisKey == null) {
      pending.flush(cache);
    } else {
      pending.key(cache, redisKey);
    }
    errors.count(cache, "circuit_open");
    return true;
  }

  private Future<Void> write(String cache, String redisKey, Request request) {
    if (recordWhileOpen(cache, redisKey)) {
      return Future.succeededFuture();
    }
    return bounded(request).transform(ar -> {
      if (ar.failed()) {
        // A write Redis may not have taken leaves a value other nodes could read: stop reading L2 until the
        // delete has been replayed.
        pending.key(cache, redisKey);
        errors.count(cache, reason(ar.cause()));
        trip(ar.cause());
      } else {
        consecutiveFailures.set(0);
      }
      return Future.succeededFuture();
    });
  }

  /** Reads and fills: failures count towards the threshold. */
  private Future<Response> send(String cache, Request request) {
    if (open) {
      errors.count(cache, "circuit_open");
      return Future.failedFuture(SKIPPED);
    }
    return bounded(request).andThen(ar -> {
      if (ar.succeeded()) {
        consecutiveFailures.set(0);
        return;
      }
      errors.count(cache, reason(ar.cause()));
      LOG.debug("cache {}: Redis call failed: {}", cache, ar.cause().toString());
      if (consecutiveFailures.incrementAndGet() >= settings.failureThreshold()) {
        trip(ar.cause());
      }
    });
  }

  private Future<Response> bounded(Request request) {
    Future<Response> sent;
    try {
      sent = link.send(request);
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    return sent.timeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private static String reason(Throwable t) {
    return t instanceof java.util.concurrent.TimeoutException || t.getClass().getSimpleName().contains("Timeout")
      ? "timeout" : "error";
  }

  private synchronized void trip(Throwable cause) {
    if (open || closed) {
      return;
    }
    open = true;
    openedAt = System.nanoTime();
    lastLoggedAt = openedAt;
    LOG.warn("cache: Redis (L2) unavailable ({}); serving from L1 and loaders, probing every {} ms",
      String.valueOf(cause.getMessage()), settings.retryAfter().toMillis());
    link.reset();
    scheduleProbe();
  }

  private synchronized void scheduleProbe() {
    if (!closed) {
      probeTimer = vertx.setTimer(settings.retryAfter().toMillis(), id -> probe());
    }
  }

  /** While open: replay missed deletes (or PING when there are none); close the circuit only once all are done. */
  private void probe() {
    PendingDeletes.Batch batch = pending.drain();
    Future<?> attempt = batch.isEmpty() ? bounded(Request.cmd(Command.PING)) : replay(batch);
    attempt.onComplete(ar -> {
      if (ar.failed()) {
        pending.restore(batch);
        link.reset(); // probe on a fresh connection next time
        stillDown(ar.cause());
        scheduleProbe();
      } else {
        recovered(batch);
      }
    });
  }

  private synchronized void stillDown(Throwable cause) {
    long now = System.nanoTime();
    if (now - lastLoggedAt >= STILL_DOWN_LOG_NANOS) {
      lastLoggedAt = now;
      LOG.warn("cache: Redis (L2) still unavailable after {} s ({}); {} delete(s) waiting for it",
        TimeUnit.NANOSECONDS.toSeconds(now - openedAt), String.valueOf(cause.getMessage()), pending.size());
    }
  }

  private synchronized void recovered(PendingDeletes.Batch replayed) {
    if (closed) {
      return;
    }
    if (!pending.isEmpty()) {
      probe(); // deletes skipped while we replayed: replay those too before reads resume
      return;
    }
    consecutiveFailures.set(0);
    open = false;
    LOG.info("cache: Redis (L2) back after {} ms; {} missed key delete(s) and {} cache flush(es) replayed",
      TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedAt), replayed.keys().size(), replayed.flushes().size());
  }

  private Future<Void> replay(PendingDeletes.Batch batch) {
    Future<Void> chain = Future.succeededFuture();
    List<String> keys = batch.keys();
    for (int i = 0; i < keys.size(); i += DELETE_CHUNK) {
      List<String> chunk = keys.subList(i, Math.min(keys.size(), i + DELETE_CHUNK));
      chain = chain.compose(v -> bounded(Request.cmd(Command.DEL, chunk.toArray())).mapEmpty());
    }
    for (String cache : batch.flushes()) {
      chain = chain.compose(v -> scanDelete(cache, this::bounded));
    }
    return chain;
  }

  private static Future<Void> scanDelete(String cache, Function<Request, Future<Response>> send) {
    return scanFrom("0", PREFIX + cache + ":*", send);
  }

  private static Future<Void> scanFrom(String cursor, String pattern, Function<Request, Future<Response>> send) {
    return send.apply(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(1000))
      .compose(page -> {
        String next = page.get(0).toString();
        List<String> found = new ArrayList<>();
        page.get(1).forEach(k -> found.add(k.toString()));
        Future<?> deleted = found.isEmpty() ? Future.succeededFuture() : send.apply(Request.cmd(Command.UNLINK, found.toArray()));
        return deleted.compose(v -> "0".equals(next) ? Future.succeededFuture() : scanFrom(next, pattern, send));
      });
  }

  synchronized void close() {
    closed = true;
    if (probeTimer >= 0) {
      vertx.cancelTimer(probeTimer);
    }
    link.reset();
  }
}
