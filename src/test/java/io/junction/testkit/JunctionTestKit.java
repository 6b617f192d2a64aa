package io.junction.testkit;

import io.junction.app.Junction;
import io.junction.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts a whole Junction in-process, on free loopback ports, against a fresh database of a real Postgres,
 * so a test reads as a story: start, call it over HTTP, look at what it did, stop.
 *
 * <pre>
 * try (JunctionTestKit kit = JunctionTestKit.builder().yaml("gateway: {routes: []}").start()) {
 *   assertThat(kit.admin("/health/ready").statusCode()).isEqualTo(200);
 * }
 * </pre>
 */
public final class JunctionTestKit implements AutoCloseable {
  /** The first admin every test instance bootstraps (a test may override both through env). */
  public static final String ADMIN_EMAIL = "admin@junction.test";
  public static final String ADMIN_PASSWORD = "correct-horse-battery-staple";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(5)).build();

  private final Junction junction;
  private final Map<String, String> env;
  private final String databaseUrl;
  private final boolean ownsDatabase;
  private final Path dir;

  private JunctionTestKit(Junction junction, Map<String, String> env, String databaseUrl, boolean ownsDatabase, Path dir) {
    this.junction = junction;
    this.env = env;
    this.databaseUrl = databaseUrl;
    this.ownsDatabase = ownsDatabase;
    this.dir = dir;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private final Map<String, String> env = new HashMap<>();
    private String yaml;
    private String databaseUrl;

    /** Any JUNCTION_* override, exactly as an operator would set it. */
    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    /** Content of the config file (conf/junction.yaml) the instance reads and watches. */
    public Builder yaml(String content) {
      this.yaml = content;
      return this;
    }

    /** Share a database with another instance (two nodes, or a restart); default is a fresh one. */
    public Builder database(String url) {
      this.databaseUrl = url;
      return this;
    }

    public JunctionTestKit start() {
      Map<String, String> e = new HashMap<>();
      e.put("JUNCTION_HTTP_PUBLIC_HOST", "127.0.0.1");
      e.put("JUNCTION_HTTP_ADMIN_HOST", "127.0.0.1");
      e.put("JUNCTION_HTTP_PUBLIC_PORT", String.valueOf(FreePorts.next()));
      e.put("JUNCTION_HTTP_ADMIN_PORT", String.valueOf(FreePorts.next()));
      e.put("JUNCTION_SHUTDOWN_GRACEPERIOD", "5s");
      e.put("JUNCTION_CONFIG_SCANPERIOD", "100ms");
      e.put("JUNCTION_IDENTITY_BOOTSTRAPADMIN_EMAIL", ADMIN_EMAIL);
      e.put("JUNCTION_IDENTITY_BOOTSTRAPADMIN_PASSWORD", ADMIN_PASSWORD);
      boolean owns = databaseUrl == null;
      String db = owns ? TestPostgres.newDatabase() : databaseUrl;
      e.put("JUNCTION_STORAGE_URL", db);
      e.putAll(env);
      Path dir;
      try {
        dir = Files.createTempDirectory("junction-test");
        Path file = dir.resolve("junction.yaml");
        Files.writeString(file, yaml == null ? "" : yaml);
        e.put(ConfigLoader.CONFIG_ENV, file.toString());
      } catch (IOException ex) {
        throw new IllegalStateException(ex);
      }
      ConfigLoader loader = new ConfigLoader(e);
      Junction junction = new Junction(loader, loader.load());
      try {
        junction.start().await(2, TimeUnit.MINUTES);
      } catch (Exception ex) {
        junction.stop();
        if (owns) {
          TestPostgres.dropDatabase(db);
        }
        throw new IllegalStateException("Junction did not start: " + ex.getMessage(), ex);
      }
      return new JunctionTestKit(junction, e, db, owns, dir);
    }
  }

  public Junction junction() {
    return junction;
  }

  public Vertx vertx() {
    return junction.vertx();
  }

  public JsonObject config() {
    return junction.config();
  }

  public String databaseUrl() {
    return databaseUrl;
  }

  public Path configFile() {
    return dir.resolve("junction.yaml");
  }

  /** Rewrites the watched config file (the instance picks it up within its 100 ms scan period). */
  public void writeConfig(String yaml) throws IOException {
    Path tmp = dir.resolve("junction.yaml.tmp");
    Files.writeString(tmp, yaml);
    Files.move(tmp, configFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  public int publicPort() {
    return Integer.parseInt(env.get("JUNCTION_HTTP_PUBLIC_PORT"));
  }

  public int adminPort() {
    return Integer.parseInt(env.get("JUNCTION_HTTP_ADMIN_PORT"));
  }

  public URI publicUri(String path) {
    return URI.create("http://127.0.0.1:" + publicPort() + path);
  }

  public URI adminUri(String path) {
    return URI.create("http://127.0.0.1:" + adminPort() + path);
  }

  public HttpResponse<String> admin(String path) {
    return send(HttpRequest.newBuilder(adminUri(path)).GET().build());
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(publicUri(path)).GET().build());
  }

  /** Sends with a 30 s ceiling, so a hang fails the test instead of stalling the suite. */
  public static HttpResponse<String> send(HttpRequest request) {
    HttpRequest bounded = request.timeout().isPresent() ? request
      : HttpRequest.newBuilder(request, (name, value) -> true).timeout(Duration.ofSeconds(30)).build();
    try {
      return HTTP.send(bounded, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(bounded.method() + " " + bounded.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One entry of a /health/ready or /health/live body's "checks", by id. */
  public static JsonObject check(io.vertx.core.json.JsonArray checks, String id) {
    for (int i = 0; i < checks.size(); i++) {
      if (id.equals(checks.getJsonObject(i).getString("id"))) {
        return checks.getJsonObject(i);
      }
    }
    throw new AssertionError("no check " + id + " in " + checks);
  }

  /** Stops Junction (the real graceful path) and drops the database this kit created. */
  @Override
  public void close() {
    try {
      junction.stop().await(1, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException("Junction did not stop: " + e.getMessage(), e);
    } finally {
      if (ownsDatabase) {
        TestPostgres.dropDatabase(databaseUrl);
      }
    }
  }
}
