package io.junction.gateway.filter.resilience;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeoutException;

/**
 * Cluster-wide token buckets in Redis: one atomic Lua script per request (the shape of Spring's
 * request_rate_limiter.lua: a tokens key and a timestamp key, both expiring after twice the refill time), run
 * by EVALSHA with an EVAL fallback when Redis answers NOSCRIPT. The clock is Redis {@code TIME} (microseconds),
 * so gateway nodes with skewed clocks still share one bucket fairly. Fails (never hangs) when Redis errs or
 * does not answer within {@code timeoutMillis}; the caller then decides locally.
 */
final class RedisTokenBuckets {
  static final String SCRIPT = String.join("\n",
    "if redis.replicate_commands then pcall(redis.replicate_commands) end",
    "local tokens_key = KEYS[1]",
    "local timestamp_key = KEYS[2]",
    "local rate = tonumber(ARGV[1])",
    "local capacity = tonumber(ARGV[2])",
    "local requested = tonumber(ARGV[3])",
    "local t = redis.call('TIME')",
    "local now = tonumber(t[1]) + tonumber(t[2]) / 1000000",
    "local ttl = math.max(1, math.ceil(capacity / rate * 2))",
    "local last_tokens = tonumber(redis.call('GET', tokens_key)) or capacity",
    "local last_refreshed = tonumber(redis.call('GET', timestamp_key)) or 0",
    "local filled = math.min(capacity, last_tokens + math.max(0, now - last_refreshed) * rate)",
    "local allowed = 0",
    "local left = filled",
    "if filled + 1e-9 >= requested then",
    "  allowed = 1",
    "  left = math.max(0, filled - requested)",
    "end",
    "redis.call('SET', tokens_key, string.format('%.6f', left), 'EX', ttl)",
    "redis.call('SET', timestamp_key, string.format('%.6f', now), 'EX', ttl)",
    "return { allowed, string.format('%.6f', left) }");

  private final Vertx vertx;
  private final Redis redis;
  private final String prefix;
  private final RateLimits limits;
  private final long timeoutMillis;
  private final String script;
  private final String sha;

  RedisTokenBuckets(Vertx vertx, Redis redis, String routeId, RateLimits limits, long timeoutMillis) {
    this(vertx, redis, routeId, limits, timeoutMillis, SCRIPT);
  }

  RedisTokenBuckets(Vertx vertx, Redis redis, String routeId, RateLimits limits, long timeoutMillis, String script) {
    this.script = script;
    this.sha = sha1(script);
    this.vertx = vertx;
    this.redis = redis;
    this.prefix = "junction.rate_limiter.{" + routeId + ".";
    this.limits = limits;
    this.timeoutMillis = timeoutMillis;
  }

  /** Takes from the key's shared bucket; completes on the caller's context. */
  Future<RateLimits.Decision> take(String key) {
    ContextInternal context = ContextInternal.current();
    Promise<RateLimits.Decision> result = context != null ? context.promise() : Promise.promise();
    long timer = vertx.setTimer(timeoutMillis, id ->
      result.tryFail(new TimeoutException("Redis did not answer within " + timeoutMillis + " ms")));
    String tokensKey = prefix + key + "}.tokens";
    String timestampKey = prefix + key + "}.timestamp";
    send(Command.EVALSHA, sha, tokensKey, timestampKey)
      .recover(err -> isNoScript(err) ? send(Command.EVAL, script, tokensKey, timestampKey) : Future.failedFuture(err))
      .onComplete(ar -> {
        vertx.cancelTimer(timer);
        if (ar.failed()) {
          result.tryFail(ar.cause());
          return;
        }
        try {
          Response r = ar.result();
          result.tryComplete(new RateLimits.Decision(r.get(0).toInteger() == 1, Double.parseDouble(r.get(1).toString())));
        } catch (RuntimeException malformed) {
          result.tryFail(new IllegalStateException("unexpected rate limiter script result " + ar.result(), malformed));
        }
      });
    return result.future();
  }

  private Future<Response> send(Command command, String script, String tokensKey, String timestampKey) {
    try {
      return redis.send(Request.cmd(command).arg(script).arg(2).arg(tokensKey).arg(timestampKey)
        .arg(limits.replenishRate()).arg(limits.burstCapacity()).arg(limits.requestedTokens()));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static boolean isNoScript(Throwable err) {
    return err.getMessage() != null && err.getMessage().startsWith("NOSCRIPT");
  }

  static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
