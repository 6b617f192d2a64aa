package io.junction.cache;

import io.junction.observability.HealthProbe;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cache module: applies invalidations published on {@code junction.cache.invalidate} ({cache, key?}) to the
 * L1 caches, and when redis.url is set opens the Redis client (L2) and reports its health.
 */
public class CacheVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CacheVerticle.class);

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
      if (!(cache instanceof String name) || (key != null && !(key instanceof String))) {
        LOG.warn("cache: ignoring invalidation without a cache name or with a non-string key: {}", body);
        return;
      }
      caches.invalidate(name, (String) key);
    });
    String url = redisConfig.getString("url", "");
    if (url.isBlank()) {
      LOG.info("cache: L1 only (redis.url not set)");
      return Future.succeededFuture();
    }
    redis = Redis.createClient(vertx, url);
    HealthProbe.register(health, "redis", new JsonObject().put("url", redacted(url)), () -> redis.send(Request.cmd(Command.PING)));
    LOG.info("cache: L1 + Redis at {}", redacted(url));
    return Future.succeededFuture();
  }

  /** The URL without its password, for logs and health output. */
  static String redacted(String url) {
    return url.replaceAll("//([^:@/]*):[^@/]*@", "//$1:***@");
  }

  @Override
  public Future<?> stop() {
    if (redis != null) {
      health.unregister("redis");
      redis.close();
    }
    return Future.succeededFuture();
  }
}
