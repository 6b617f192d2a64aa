import io.junction.cache.CacheAside;
import io.junction.cache.CacheSpec;
import io.junction.cache.CacheVerticle;
import io.junction.cache.Caches;
import io.junction.cache.Codec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Reads per second through io.junction.cache.CacheAside in three states, side by side in one JVM:
 * warm (every read an L1 hit), L2 (L1 too small to keep anything: every read goes to Redis) and cold (no L2,
 * L1 keeps nothing: every read is a real Postgres query). Closed loop: CONCURRENCY reads in flight, spread over
 * the event loops, random keys out of KEYS. Run by bench/cache.sh, which documents the knobs.
 */
public final class CacheBench {
  private static final int DURATION = intEnv("DURATION", 5);
  private static final int WARMUP = intEnv("WARMUP", 2);
  private static final int CONCURRENCY = intEnv("CONCURRENCY", 64);
  private static final int KEYS = intEnv("KEYS", 1000);
  private static final int EVENT_LOOPS = intEnv("EVENT_LOOPS", 2);

  private record Phase(String label, CacheAside<JsonObject> cache, String cacheName) {
  }

  private record Result(String label, double readsPerSecond, long errors, double l1Share, double l2Share, double loaderShare) {
  }

  public static void main(String[] args) throws Exception {
    String redisUrl = System.getenv("REDIS_URL");
    String pgUrl = System.getenv().getOrDefault("PG_URL", "");
    EmbeddedPostgres embedded = null;
    if (pgUrl.isBlank()) {
      embedded = EmbeddedPostgres.builder().start();
      pgUrl = "postgresql://postgres@127.0.0.1:" + embedded.getPort() + "/postgres";
    }
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS).setPreferNativeTransport(true)).build();
    try {
      run(vertx, redisUrl, pgUrl);
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private static void run(Vertx vertx, String redisUrl, String pgUrl) throws Exception {
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(16))
      .connectingTo(PgConnectOptions.fromUri(pgUrl)).using(vertx).build();
    pool.query("DROP TABLE IF EXISTS bench_items").execute()
      .compose(v -> pool.query("CREATE TABLE bench_items (id text PRIMARY KEY, body jsonb NOT NULL)").execute())
      .compose(v -> pool.query("INSERT INTO bench_items SELECT 'k' || i, jsonb_build_object('id', 'k' || i, 'name', 'route ' || i, "
        + "'uri', 'lb://service-' || (i % 20), 'predicates', jsonb_build_array('Path=/api/' || i || '/**')) "
        + "FROM generate_series(0, " + (KEYS - 1) + ") i").execute())
      .compose(v -> pool.query("ANALYZE bench_items").execute())
      .await(60, TimeUnit.SECONDS);

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Caches caches = new Caches(registry);
    JsonObject redis = new JsonObject().put("url", redisUrl).put("timeout", "100ms");
    vertx.deployVerticle(new CacheVerticle(caches, redis, HealthChecks.create(vertx))).await(30, TimeUnit.SECONDS);

    String tag = Long.toString(System.nanoTime(), 36);
    Duration long10m = Duration.ofMinutes(10);
    List<Phase> phases = List.of(
      new Phase("warm (L1 hit)", caches.cache("bench-warm-" + tag, CacheSpec.of(KEYS * 2L, long10m), Codec.JSON_OBJECT), "bench-warm-" + tag),
      new Phase("L2 (Redis hit)", caches.cache("bench-l2-" + tag, CacheSpec.of(1, Duration.ofMillis(1)).withL2Ttl(long10m), Codec.JSON_OBJECT), "bench-l2-" + tag),
      new Phase("cold (Postgres)", caches.cache("bench-cold-" + tag, CacheSpec.of(1, Duration.ofMillis(1)).withoutL2(), Codec.JSON_OBJECT), "bench-cold-" + tag));

    // Fill what each phase should find: L1 for warm, Redis for L2.
    // In batches of 32, so the fill itself stays within the L2 timeout on a small machine.
    for (Phase p : phases.subList(0, 2)) {
      for (int from = 0; from < KEYS; from += 32) {
        List<Future<JsonObject>> fills = new ArrayList<>();
        for (int i = from; i < Math.min(KEYS, from + 32); i++) {
          fills.add(p.cache.get("k" + i, loader(pool, "k" + i)));
        }
        Future.all(fills).await(60, TimeUnit.SECONDS);
      }
    }

    System.err.printf("cache bench: %d event loop(s), %d reads in flight, %d keys, %d s warm-up + %d s per phase%n",
      EVENT_LOOPS, CONCURRENCY, KEYS, WARMUP, DURATION);
    List<Result> results = new ArrayList<>();
    for (Phase p : phases) {
      System.err.println("  " + p.label + " ...");
      drive(vertx, pool, p.cache, WARMUP);
      double l1 = count(registry, "junction.cache.gets", p.cacheName, "l1", "hit");
      double l2 = count(registry, "junction.cache.gets", p.cacheName, "l2", "hit");
      double loads = registry.find("junction.cache.load").tag("cache", p.cacheName).timers().stream().mapToDouble(t -> t.count()).sum();
      long[] counts = drive(vertx, pool, p.cache, DURATION);
      double reads = counts[0];
      double l1d = count(registry, "junction.cache.gets", p.cacheName, "l1", "hit") - l1;
      double l2d = count(registry, "junction.cache.gets", p.cacheName, "l2", "hit") - l2;
      double loadsd = registry.find("junction.cache.load").tag("cache", p.cacheName).timers().stream().mapToDouble(t -> t.count()).sum() - loads;
      results.add(new Result(p.label, reads / DURATION, counts[1], l1d / reads, l2d / reads, loadsd / reads));
    }
    double cold = results.get(2).readsPerSecond;
    System.out.printf("%-17s %13s %14s %8s %8s %8s %9s %7s%n", "phase", "reads/s", "mean latency", "L1", "L2", "loader", "vs cold", "errors");
    for (Result r : results) {
      double meanMs = CONCURRENCY / r.readsPerSecond * 1000;
      System.out.printf(Locale.ROOT, "%-17s %,13.0f %11.3f ms %7.1f%% %7.1f%% %7.1f%% %8.1fx %7d%n", r.label, r.readsPerSecond, meanMs,
        r.l1Share * 100, r.l2Share * 100, r.loaderShare * 100, r.readsPerSecond / cold, r.errors);
    }
    pool.query("DROP TABLE IF EXISTS bench_items").execute().await(30, TimeUnit.SECONDS);
    for (Phase p : phases) {
      p.cache.invalidateAll().await(30, TimeUnit.SECONDS); // leave nothing behind in a shared Redis
    }
    pool.close().await(10, TimeUnit.SECONDS);
  }

  private static Supplier<Future<JsonObject>> loader(Pool pool, String key) {
    return () -> pool.preparedQuery("SELECT body FROM bench_items WHERE id = $1").execute(Tuple.of(key))
      .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getJsonObject("body") : null);
  }

  private static double count(SimpleMeterRegistry registry, String name, String cache, String level, String result) {
    Counter c = registry.find(name).tags("cache", cache, "level", level, "result", result).counter();
    return c == null ? 0 : c.count();
  }

  /** Runs the closed loop for the given seconds; answers {reads, errors}. */
  private static long[] drive(Vertx vertx, Pool pool, CacheAside<JsonObject> cache, int seconds) throws Exception {
    LongAdder reads = new LongAdder();
    LongAdder errors = new LongAdder();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    int perLoop = Math.max(1, (CONCURRENCY + EVENT_LOOPS - 1) / EVENT_LOOPS);
    CountDownLatch done = new CountDownLatch(perLoop * EVENT_LOOPS);
    vertx.deployVerticle(() -> new AbstractVerticle() {
      @Override
      public void start() {
        for (int i = 0; i < perLoop; i++) {
          new Client(cache, pool, deadline, reads, errors, done).next();
        }
      }
    }, new DeploymentOptions().setInstances(EVENT_LOOPS)).await(30, TimeUnit.SECONDS);
    if (!done.await(seconds + 60L, TimeUnit.SECONDS)) {
      throw new IllegalStateException("clients did not finish");
    }
    return new long[] {reads.sum(), errors.sum()};
  }

  /** One read in flight at a time; L1 hits complete at once, so they are looped (not chained) and yield every 256. */
  private static final class Client {
    private final CacheAside<JsonObject> cache;
    private final Pool pool;
    private final long deadline;
    private final LongAdder reads;
    private final LongAdder errors;
    private final CountDownLatch done;
    private final io.vertx.core.Context context = Vertx.currentContext();

    Client(CacheAside<JsonObject> cache, Pool pool, long deadline, LongAdder reads, LongAdder errors, CountDownLatch done) {
      this.cache = cache;
      this.pool = pool;
      this.deadline = deadline;
      this.reads = reads;
      this.errors = errors;
      this.done = done;
    }

    void next() {
      for (int sync = 0; sync < 256; sync++) {
        if (System.nanoTime() >= deadline) {
          done.countDown();
          return;
        }
        String key = "k" + ThreadLocalRandom.current().nextInt(KEYS);
        Future<JsonObject> f = cache.get(key, loader(pool, key));
        if (!f.isComplete()) {
          f.onComplete(ar -> {
            record(key, ar.succeeded() ? ar.result() : null);
            next();
          });
          return;
        }
        record(key, f.succeeded() ? f.result() : null);
      }
      context.runOnContext(v -> next());
    }

    private void record(String key, JsonObject value) {
      if (value != null && key.equals(value.getString("id"))) {
        reads.increment();
      } else {
        errors.increment();
      }
    }
  }

  private static int intEnv(String name, int fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
  }
}
