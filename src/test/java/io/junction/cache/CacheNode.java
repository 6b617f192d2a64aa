package io.junction.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;

import java.util.concurrent.TimeUnit;

/**
 * One "node" of the cache module for tests: its own {@link Caches} and meter registry, and a real
 * {@link CacheVerticle} deployed on a Vert.x (its own, or one shared with another node so both hear the same
 * event bus, the way clustered nodes would).
 */
final class CacheNode implements AutoCloseable {
  final Vertx vertx;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Caches caches = new Caches(registry);
  private final boolean ownsVertx;
  private final String deployment;

  private CacheNode(Vertx vertx, boolean ownsVertx, JsonObject redis) throws Exception {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.deployment = vertx.deployVerticle(new CacheVerticle(caches, redis, HealthChecks.create(vertx))).await(10, TimeUnit.SECONDS);
  }

  /** A node on a Vert.x of its own (its own event bus). */
  static CacheNode alone(JsonObject redis) throws Exception {
    return new CacheNode(Vertx.vertx(), true, redis);
  }

  /** A node on a Vert.x another node also uses: invalidations published by one reach the other. */
  static CacheNode on(Vertx vertx, JsonObject redis) throws Exception {
    return new CacheNode(vertx, false, redis);
  }

  static JsonObject redis(String url) {
    return new JsonObject().put("url", url).put("timeout", "200ms").put("failureThreshold", 2).put("retryAfter", "300ms");
  }

  static JsonObject noRedis() {
    return new JsonObject().put("url", "");
  }

  double count(String name, String... tags) {
    Counter c = registry.find(name).tags(tags).counter();
    if (c != null) {
      return c.count();
    }
    var fc = registry.find(name).tags(tags).functionCounter();
    return fc == null ? 0 : fc.count();
  }

  double gauge(String name, String... tags) {
    Gauge g = registry.find(name).tags(tags).gauge();
    return g == null ? Double.NaN : g.value();
  }

  double l2Errors(String cache) {
    return registry.find("junction.cache.l2.errors").tag("cache", cache).counters().stream().mapToDouble(Counter::count).sum();
  }

  boolean circuitOpen() {
    return gauge("junction.cache.l2.circuit.open") == 1.0;
  }

  @Override
  public void close() throws Exception {
    if (ownsVertx) {
      vertx.close().await(10, TimeUnit.SECONDS);
    } else {
      vertx.undeploy(deployment).await(10, TimeUnit.SECONDS);
    }
  }
}
