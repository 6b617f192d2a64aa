package io.junction.gateway.filter.resilience;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.Relayable;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.http.ApiError;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code RequestRateLimiter}: a token bucket per key, as Spring Cloud Gateway's RequestRateLimiter with its
 * RedisRateLimiter. Every request takes {@code requestedTokens}; the bucket holds at most
 * {@code burstCapacity} and refills at {@code replenishRate} tokens a second. A request that finds too few
 * tokens is answered 429 {@code rate_limited} with {@code Retry-After} (seconds).
 *
 * <p>Where the buckets live: node-local by default; in Redis, shared by every node, when {@code redis.url} is
 * configured (this filter then waits on Redis per request — the one case DESIGN §2 allows). When Redis fails or
 * does not answer within 250 ms, the request is decided by the node-local bucket instead (never failed), the
 * problem is logged at most every 30 s, and Redis is left alone for a second before it is tried again.
 *
 * <p>Every response the filter lets through or refuses carries X-RateLimit-Remaining, -Replenish-Rate,
 * -Burst-Capacity and -Requested-Tokens. A request without a key (keyResolver {@code user} and nobody signed
 * in, a missing header) is refused with {@code emptyKeyStatus} (403) when {@code denyEmptyKey} (the default,
 * as in Spring), else passed through unlimited.
 */
public final class RequestRateLimiterFilter implements Relayable {
  private static final Logger LOG = LoggerFactory.getLogger(RequestRateLimiterFilter.class);
  static final String METRIC = "junction_gateway_ratelimit_rejections_total";
  static final long REDIS_TIMEOUT_MS = 250;
  static final long REDIS_PAUSE_NANOS = 1_000_000_000L;
  static final int MAX_KEY_LENGTH = 128;

  private final String routeId;
  private final RateLimits limits;
  private final KeyResolver keyResolver;
  private final String keyResolverName;
  private final boolean denyEmptyKey;
  private final int emptyKeyStatus;
  private final LocalTokenBuckets local;
  private final RedisTokenBuckets redis;
  private final Counter rejections;
  private final ThrottledLog redisLog = new ThrottledLog(LOG, 30_000);
  private final String rate;
  private final String burst;
  private final String requested;
  private volatile long redisPausedUntil = System.nanoTime();

  RequestRateLimiterFilter(FilterContext context, RateLimits limits, String keyResolverName, KeyResolver keyResolver,
                           boolean denyEmptyKey, int emptyKeyStatus, long maxLocalKeys) {
    this.routeId = context.routeId();
    this.limits = limits;
    this.keyResolver = keyResolver;
    this.keyResolverName = keyResolverName;
    this.denyEmptyKey = denyEmptyKey;
    this.emptyKeyStatus = emptyKeyStatus;
    this.local = new LocalTokenBuckets(limits, maxLocalKeys);
    this.redis = context.redis() == null ? null
      : new RedisTokenBuckets(context.vertx(), context.redis(), context.routeId(), limits, REDIS_TIMEOUT_MS);
    this.rejections = Counter.builder(METRIC).description("Requests refused by RequestRateLimiter")
      .tag("route", context.routeId()).register(context.meters());
    this.rate = String.valueOf(limits.replenishRate());
    this.burst = String.valueOf(limits.burstCapacity());
    this.requested = String.valueOf(limits.requestedTokens());
  }

  LocalTokenBuckets localBuckets() {
    return local;
  }

  @Override
  public Future<Void> filter(Exchange ex, FilterChain chain) {
    String key = keyResolver.resolve(ex);
    if (key == null || key.isEmpty()) {
      if (!denyEmptyKey) {
        return chain.next(ex);
      }
      return ex.error(emptyKeyStatus, ApiError.codeFor(emptyKeyStatus),
        "no rate limit key for this request (keyResolver " + keyResolverName + ")");
    }
    String bucket = compact(key);
    if (redis == null || System.nanoTime() - redisPausedUntil < 0) {
      return decide(ex, chain, local.take(bucket));
    }
    return redis.take(bucket).transform(ar -> {
      if (ar.succeeded()) {
        return decide(ex, chain, ar.result());
      }
      redisPausedUntil = System.nanoTime() + REDIS_PAUSE_NANOS;
      redisLog.warn("route " + routeId + ": Redis rate limit unavailable, limiting per node", ar.cause());
      return decide(ex, chain, local.take(bucket));
    });
  }

  private Future<Void> decide(Exchange ex, FilterChain chain, RateLimits.Decision decision) {
    ex.beforeResponse(e -> headers(e.responseHeaders(), decision));
    if (decision.allowed()) {
      return chain.next(ex);
    }
    rejections.increment();
    return ex.error(429, "rate_limited", "rate limit of route " + routeId + " exceeded; retry in "
      + limits.retryAfterSeconds(decision.tokensLeft()) + " s");
  }

  private void headers(MultiMap headers, RateLimits.Decision decision) {
    if (headers == null) {
      return;
    }
    headers.set("X-RateLimit-Remaining", String.valueOf(decision.remaining()));
    headers.set("X-RateLimit-Replenish-Rate", rate);
    headers.set("X-RateLimit-Burst-Capacity", burst);
    headers.set("X-RateLimit-Requested-Tokens", requested);
    if (!decision.allowed()) {
      headers.set("Retry-After", String.valueOf(limits.retryAfterSeconds(decision.tokensLeft())));
    }
  }

  /** Long keys (a huge header value) are hashed so that neither memory nor Redis keys grow with them. */
  static String compact(String key) {
    if (key.length() <= MAX_KEY_LENGTH) {
      return key;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "RequestRateLimiter " + limits + " by " + keyResolverName + (redis == null ? " (local)" : " (redis)");
  }

  /**
   * Builds {@link RequestRateLimiterFilter}. Args: replenishRate, burstCapacity, requestedTokens (1),
   * keyResolver (ip | user | header:Name | route; default user, like Spring's principal-name resolver),
   * denyEmptyKey (true), emptyKeyStatus (403). Spring's spellings are accepted too:
   * {@code redis-rate-limiter.replenishRate} (or a nested {@code redis-rate-limiter} object),
   * {@code key-resolver}, {@code deny-empty-key}, {@code empty-key-status}. Shortcut:
   * {@code RequestRateLimiter=replenishRate, burstCapacity, requestedTokens, keyResolver}.
   */
  public static final class Factory implements FilterFactory {
    private static final String SPRING = "redis-rate-limiter";
    private static final List<String> LIMIT_KEYS = List.of("replenishRate", "burstCapacity", "requestedTokens");

    @Override
    public String name() {
      return "RequestRateLimiter";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("replenishRate", "burstCapacity", "requestedTokens", "keyResolver");
    }

    @Override
    public List<String> argNames() {
      return List.of("replenishRate", "burstCapacity", "requestedTokens", "keyResolver", "denyEmptyKey", "emptyKeyStatus",
        SPRING, SPRING + ".replenishRate", SPRING + ".burstCapacity", SPRING + ".requestedTokens",
        "key-resolver", "deny-empty-key", "empty-key-status");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      ArgValues.object(args, SPRING, LIMIT_KEYS);
      Object rateValue = limit(args, "replenishRate");
      Object burstValue = limit(args, "burstCapacity");
      if (rateValue == null) {
        throw args.missing("replenishRate");
      }
      int rate = ArgValues.integer("replenishRate", rateValue, 0);
      if (rate < 1) {
        throw args.bad("replenishRate", "must be at least 1 token per second, not " + rate);
      }
      int burst = ArgValues.integer("burstCapacity", burstValue, rate);
      if (burst < rate) {
        throw args.bad("burstCapacity", burst + " is less than replenishRate " + rate
          + " (the bucket could never hold a second's worth of tokens)");
      }
      int requestedTokens = ArgValues.integer("requestedTokens", limit(args, "requestedTokens"), 1);
      if (requestedTokens < 1 || requestedTokens > burst) {
        throw args.bad("requestedTokens", "must be between 1 and burstCapacity " + burst + ", not " + requestedTokens);
      }
      Object resolverValue = either(args, "keyResolver", "key-resolver");
      if (resolverValue instanceof Map || resolverValue instanceof List) {
        throw args.bad("keyResolver", "expected ip, user, header:<Name> or route but got " + resolverValue);
      }
      String resolverName = resolverValue == null ? "user" : resolverValue.toString().trim();
      KeyResolver resolver = KeyResolver.parse(resolverName, "keyResolver");
      boolean deny = ArgValues.bool("denyEmptyKey", either(args, "denyEmptyKey", "deny-empty-key"), true);
      Object statusValue = either(args, "emptyKeyStatus", "empty-key-status");
      int emptyStatus = statusValue == null ? 403 : StatusSet.status("emptyKeyStatus", String.valueOf(statusValue));
      if (emptyStatus < 400) {
        throw args.bad("emptyKeyStatus", "must be an error status (4xx or 5xx), not " + emptyStatus);
      }
      return new RequestRateLimiterFilter(context, new RateLimits(rate, burst, requestedTokens), resolverName, resolver,
        deny, emptyStatus, LocalTokenBuckets.DEFAULT_MAX_KEYS);
    }

    private static Object limit(Args args, String key) throws DefinitionException {
      Object plain = args.values().get(key);
      Object spring = ArgValues.nested(args, SPRING, key);
      if (plain != null && spring != null) {
        throw args.bad(key, "given twice (as '" + key + "' and as '" + SPRING + "." + key + "')");
      }
      return plain != null ? plain : spring;
    }

    private static Object either(Args args, String name, String springName) throws DefinitionException {
      Map<String, Object> values = args.values();
      if (values.get(name) != null && values.get(springName) != null) {
        throw args.bad(name, "given twice (as '" + name + "' and as '" + springName + "')");
      }
      return values.get(name) != null ? values.get(name) : values.get(springName);
    }
  }
}
