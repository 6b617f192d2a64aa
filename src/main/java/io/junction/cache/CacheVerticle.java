package io.junction.cache;

import io.junction.observability.HealthProbe;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Cache module: applies invalidations published on {@code junction.cache.invalidate} ({cache, key?, origin?})
 * to this node's L1 caches, and when redis.url is set opens the Redis client (L2, behind {@link RedisL2}'s
 * timeout and circuit) and reports its health.
 */
public class CacheVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CacheVerticle.class);
  /** An unreachable Redis host must not hold connections for long; reads give up after the L2 timeout anyway. */
  private static final int CONNECT_TIMEOUT_MS = 1000;
  /** How long the boot waits for the cache's Redis connection before going on without it. */
  private static final Duration START_WAIT = Duration.ofSeconds(2);

  private final Caches caches;
  private final JsonObject redisConfig;
  private final HealthChecks health;
  private Redis redis;

  public CacheVerticle(Caches caches, JsonObject redisConfig, HealthChecks health) {
    this.caches = caches;
    this.redisConfig = redisConfig;
    this.health = health;
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().<JsonObject>consumer(Caches.INVALIDATE_ADDRESS, msg -> {
      JsonObject body = msg.body();
      Object cache = body == null ? null : body.getValue("cache");
      Object key = body == null ? null : body.getValue("key");
      Object origin = body == null ? null : body.getValue("origin");
      if (!(cache instanceof String name) || (key != null && !(key instanceof String))) {
        LOG.warn("cache: ignoring invalidation without a cache name or with a non-string key: {}", body);
        return;
      }
      caches.invalidate(name, (String) key, origin instanceof String o ? o : null);
    });
    String url = redisConfig.getString("url", "");
    if (url.isBlank()) {
      caches.start(vertx, null);
      LOG.info("cache: L1 only (redis.url not set)");
      return Future.succeededFuture();
    }
    L2Settings settings = L2Settings.from(redisConfig);
    RedisOptions options = new RedisOptions()
      .setConnectionString(url)
      // The cache pipelines its requests on one connection (RedisLink); the health probe has a client of its own.
      .setMaxPoolSize(1)
      .setMaxPoolWaiting(64)
      .setNetClientOptions(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS).setTcpNoDelay(true).setTcpKeepAlive(true));
    redis = Redis.createClient(vertx, url);
    RedisL2 l2 = new RedisL2(vertx, () -> Redis.createClient(vertx, options), settings, caches.registry());
    caches.start(vertx, l2);
    HealthProbe.register(health, "redis", new JsonObject().put("url", redacted(url)), () -> redis.send(Request.cmd(Command.PING)));
    LOG.info("cache: L1 + Redis at {} (L2 timeout {} ms, circuit opens after {} failures, probes every {} ms)",
      redacted(url), settings.timeout().toMillis(), settings.failureThreshold(), settings.retryAfter().toMillis());
    // A Redis that is down does not stop the boot: the cache starts L1-only and takes L2 in when it answers.
    return l2.open(START_WAIT);
  }

  /** The URL without its password, for logs and health output. */
  static String redacted(String url) {
    return url.replaceAll("//([^:@/]*):[^@/]*@", "//$1:***@");
  }

  @Override
  public Future<?> stop() {
    caches.stop();
    if (redis != null) {
      health.unregister("redis");
      redis.close();
    }
    return Future.succeededFuture();
  }
}
