package io.junction.storage;

import io.junction.config.Durations;
import io.junction.observability.HealthProbe;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Storage module: picks the Postgres (configured server, or embedded in storage.embedded.dataDir), waits for
 * it with backoff, runs the migrations, opens the shared pool and reports Postgres health.
 */
public class StorageVerticle extends VerticleBase implements Storage {
  private static final Logger LOG = LoggerFactory.getLogger(StorageVerticle.class);

  private final JsonObject config;
  private final HealthChecks health;
  private EmbeddedPostgresServer embedded;
  private PostgresTarget target;
  private Pool pool;

  public StorageVerticle(JsonObject storageConfig, HealthChecks health) {
    this.config = storageConfig;
    this.health = health;
  }

  @Override
  public Future<?> start() {
    String url = config.getString("url", "");
    Future<PostgresTarget> chosen = url.isBlank() ? startEmbedded() : Future.succeededFuture(PostgresTarget.fromUrl(url));
    return chosen
      .compose(t -> {
        target = t;
        LOG.info("storage: using {}", t.describe());
        pool = PgBuilder.pool()
          .with(new PoolOptions().setMaxSize(config.getInteger("poolSize", 16)).setName("junction-pg"))
          .with(new NetClientOptions().setConnectTimeout(5000)) // a black-holed host fails the attempt, never hangs it
          .connectingTo(t.options())
          .using(vertx)
          .build();
        Duration patience = Durations.parse(config.getValue("connectTimeout", "30s"));
        return awaitReachable(System.nanoTime() + patience.toNanos(), 200, patience);
      })
      .compose(v -> vertx.executeBlocking(() -> Migrations.run(target)))
      .map(result -> {
        logMigrations(result);
        HealthProbe.register(health, "postgres", new JsonObject().put("database", describe()), this::ping);
        vertx.eventBus().consumer(PING_ADDRESS, msg -> ping().onComplete(ar -> {
          if (ar.succeeded()) {
            msg.reply(new JsonObject().put("database", describe()).put("embedded", target.embedded()).put("latencyMs", ar.result()));
          } else {
            msg.fail(503, "postgres unavailable: " + ar.cause().getMessage());
          }
        }));
        return null;
      });
  }

  private Future<PostgresTarget> startEmbedded() {
    JsonObject e = config.getJsonObject("embedded", new JsonObject());
    Path dataDir = Path.of(e.getString("dataDir", "data/pg"));
    int port = e.getInteger("port", 0);
    return vertx.executeBlocking(() -> {
      embedded = EmbeddedPostgresServer.start(dataDir, port);
      return PostgresTarget.embedded(embedded.port(), EmbeddedPostgresServer.DATABASE);
    });
  }

  /** Retries with doubling backoff (capped at 5 s) until Postgres answers or the patience runs out. */
  private Future<Void> awaitReachable(long deadlineNanos, long backoffMs, Duration patience) {
    return ping().<Void>mapEmpty().recover(err -> {
      if (System.nanoTime() >= deadlineNanos) {
        return Future.failedFuture(new IllegalStateException(target.describe() + " unreachable after "
          + patience.toSeconds() + "s (storage.connectTimeout): " + err.getMessage()));
      }
      LOG.warn("storage: {} not reachable yet ({}), retrying in {} ms", target.describe(), err.getMessage(), backoffMs);
      Promise<Void> later = Promise.promise();
      vertx.setTimer(backoffMs, id -> awaitReachable(deadlineNanos, Math.min(backoffMs * 2, 5000), patience).onComplete(later));
      return later.future();
    });
  }

  private void logMigrations(MigrateResult result) {
    if (result.migrationsExecuted == 0) {
      LOG.info("storage: schema is up to date at version {}", result.initialSchemaVersion);
    } else {
      LOG.info("storage: applied {} migration(s), schema now at version {}", result.migrationsExecuted, result.targetSchemaVersion);
    }
  }

  @Override
  public Pool pool() {
    return pool;
  }

  @Override
  public Future<Long> ping() {
    long start = System.nanoTime();
    return pool.query("SELECT 1").execute().map(rows -> (System.nanoTime() - start) / 1_000_000);
  }

  @Override
  public String describe() {
    return target == null ? "postgres (not started)" : target.describe();
  }

  @Override
  public Future<?> stop() {
    health.unregister("postgres");
    Future<Void> closed = pool == null ? Future.succeededFuture() : pool.close();
    return closed.compose(v -> embedded == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
      embedded.close();
      return null;
    })).onComplete(ar -> LOG.info("storage: closed ({})", describe()));
  }
}
