import io.junction.app.Junction;
import io.junction.config.ConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Audit benchmark, one JVM: a real Junction on a scratch database (STORAGE_URL). Phase 1: sustained audit records/s
 * through junction.audit.record (IN_FLIGHT records outstanding, each acknowledged after its batch commits).
 * Phase 2: latency of an admin write (POST then DELETE /api/v1/roles, each audited by the admin middleware and by
 * the identity module), quiet and while the audit log absorbs a background load of BG_RATE records/s.
 */
public class AuditBench {
  public static void main(String[] args) throws Exception {
    int seconds = Integer.parseInt(System.getenv().getOrDefault("DURATION", "10"));
    int inFlight = Integer.parseInt(System.getenv().getOrDefault("IN_FLIGHT", "2000"));
    int writes = Integer.parseInt(System.getenv().getOrDefault("WRITES", "1000"));
    int bgRate = Integer.parseInt(System.getenv().getOrDefault("BG_RATE", "5000"));
    Map<String, String> env = new HashMap<>();
    env.put("JUNCTION_STORAGE_URL", System.getenv("STORAGE_URL"));
    env.put("JUNCTION_HTTP_PUBLIC_HOST", "127.0.0.1");
    env.put("JUNCTION_HTTP_ADMIN_HOST", "127.0.0.1");
    env.put("JUNCTION_HTTP_PUBLIC_PORT", System.getenv().getOrDefault("PUBLIC_PORT", "18180"));
    env.put("JUNCTION_HTTP_ADMIN_PORT", System.getenv().getOrDefault("ADMIN_PORT", "18181"));
    env.put("JUNCTION_HTTP_ACCESSLOG", "false");
    env.put("JUNCTION_LOGGING_LEVEL", "WARN");
    env.put("JUNCTION_IDENTITY_BOOTSTRAPADMIN_EMAIL", "bench@junction.test");
    env.put("JUNCTION_IDENTITY_BOOTSTRAPADMIN_PASSWORD", "bench-password-long-enough");
    env.put("JUNCTION_AUDIT_VERIFYINTERVAL", "0");
    env.put("JUNCTION_AUDIT_ARCHIVEINTERVAL", "0");
    Path conf = Files.createTempFile("audit-bench", ".yaml");
    env.put(ConfigLoader.CONFIG_ENV, conf.toString());
    ConfigLoader loader = new ConfigLoader(env);
    Junction junction = new Junction(loader, loader.load());
    junction.start().await(2, TimeUnit.MINUTES);
    Vertx vertx = junction.vertx();
    try {
      // Phase 1: sustained records/s (2 s warm-up, then `seconds` counted).
      closedLoop(vertx, inFlight, 2);
      long n = closedLoop(vertx, inFlight, seconds);
      System.out.printf("sustained: %d records in %d s = %.0f records/s (in flight %d)%n", n, seconds, (double) n / seconds, inFlight);

      // Phase 2: admin write latency.
      HttpClient http = HttpClient.newHttpClient();
      String login = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.get("JUNCTION_HTTP_PUBLIC_PORT") + "/auth/login"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
          "{\"email\":\"bench@junction.test\",\"password\":\"bench-password-long-enough\"}")).build(), HttpResponse.BodyHandlers.ofString()).body();
      String token = new JsonObject(login).getString("accessToken");
      String admin = "http://127.0.0.1:" + env.get("JUNCTION_HTTP_ADMIN_PORT");
      adminWrites(http, admin, token, 200, "warm");
      long[] quiet = adminWrites(http, admin, token, writes, "q");
      AtomicBoolean stop = new AtomicBoolean();
      long period = Math.max(1, 1000L * 10 / bgRate); // 10 records every period ms
      long timer = vertx.setPeriodic(period, id -> {
        for (int i = 0; i < 10 && !stop.get(); i++) {
          vertx.eventBus().send("junction.audit.record", record(i));
        }
      });
      long[] loaded = adminWrites(http, admin, token, writes, "l");
      vertx.cancelTimer(timer);
      report("admin write (POST+DELETE role), quiet", quiet);
      report("admin write, audit absorbing " + bgRate + " records/s", loaded);
      System.out.printf("p99 added by audit load: %.2f ms%n", (pct(loaded, 0.99) - pct(quiet, 0.99)) / 1e6);
    } finally {
      junction.stop().await(1, TimeUnit.MINUTES);
    }
  }

  private static JsonObject record(int i) {
    return new JsonObject().put("actor", "bench").put("action", "bench.record").put("target", "t" + i).put("outcome", "success")
      .put("metadata", new JsonObject().put("i", i).put("note", "a typical small payload"));
  }

  /** Keeps `window` records outstanding for `seconds`; returns how many were acknowledged. */
  private static long closedLoop(Vertx vertx, int window, int seconds) throws Exception {
    LongAdder done = new LongAdder();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicBoolean over = new AtomicBoolean();
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(60_000);
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (System.nanoTime() > end) {
        over.set(true);
        return;
      }
      vertx.eventBus().request("junction.audit.record", record(0), opts).onComplete(ar -> {
        if (ar.succeeded() && System.nanoTime() <= end) {
          done.increment();
        }
        next[0].run();
      });
    };
    vertx.runOnContext(v -> {
      for (int i = 0; i < window; i++) {
        next[0].run();
      }
    });
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds) + 500);
    return done.sum();
  }

  private static long[] adminWrites(HttpClient http, String admin, String token, int n, String tag) throws Exception {
    long[] lat = new long[n];
    for (int i = 0; i < n; i++) {
      String id = "bench-" + tag + "-" + i;
      long t0 = System.nanoTime();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(admin + "/api/v1/roles")).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
      lat[i] = System.nanoTime() - t0;
      if (r.statusCode() != 201) {
        throw new IllegalStateException("POST role answered " + r.statusCode() + " " + r.body());
      }
      http.send(HttpRequest.newBuilder(URI.create(admin + "/api/v1/roles/" + id)).header("Authorization", "Bearer " + token).DELETE().build(),
        HttpResponse.BodyHandlers.discarding());
    }
    return lat;
  }

  private static double pct(long[] values, double p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static void report(String what, long[] lat) {
    System.out.printf("%s: n=%d p50 %.2f ms, p99 %.2f ms%n", what, lat.length, pct(lat, 0.5) / 1e6, pct(lat, 0.99) / 1e6);
  }
}
