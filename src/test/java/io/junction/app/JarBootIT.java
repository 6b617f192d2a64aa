package io.junction.app;

import io.junction.testkit.FreePorts;
import io.junction.testkit.JarProcess;
import io.junction.testkit.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped artifact: java -jar target/junction.jar, as an operator runs it. */
class JarBootIT {
  /** The migrations in the source tree (V1..Vn): a fresh database ends at version n. */
  private static final int MIGRATIONS = java.util.Objects.requireNonNull(new java.io.File("src/main/resources/db/migration")
    .list((dir, name) -> name.matches("V\\d+__.*\\.sql"))).length;

  @TempDir
  Path dir;

  private static Map<String, String> ports() {
    Map<String, String> env = new HashMap<>();
    env.put("JUNCTION_HTTP_PUBLIC_PORT", String.valueOf(FreePorts.next()));
    env.put("JUNCTION_HTTP_ADMIN_PORT", String.valueOf(FreePorts.next()));
    return env;
  }

  @Test
  void bootsOnEmbeddedPostgresWithNoConfigAndStopsCleanlyOnSigterm() throws Exception {
    Map<String, String> env = ports();
    String firstLog;
    try (JarProcess jar = JarProcess.start(dir, env)) {
      Duration ready = jar.awaitReady(Duration.ofMinutes(3));
      System.out.printf("[measure] embedded Postgres, first start (initdb): ready in %d ms, RSS %d MiB%n", ready.toMillis(), jar.rssMiB());
      java.net.http.HttpResponse<String> traced = io.junction.testkit.JunctionTestKit.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + env.get("JUNCTION_HTTP_PUBLIC_PORT") + "/traced"))
        .header("X-Request-Id", "it-req-1").header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").build());
      assertThat(traced.statusCode()).isEqualTo(404);
      // First start, no bootstrap password configured: one is generated, printed once, and it logs in.
      java.util.regex.Matcher generated = java.util.regex.Pattern.compile("generated password: (\\S+)").matcher(jar.output());
      assertThat(generated.find()).as("generated admin password printed").isTrue();
      java.net.http.HttpResponse<String> login = io.junction.testkit.JunctionTestKit.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + env.get("JUNCTION_HTTP_PUBLIC_PORT") + "/auth/login"))
        .header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"email\":\"admin@junction.local\",\"password\":\"" + generated.group(1) + "\"}")).build());
      assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
      jar.terminate();
      long t0 = System.nanoTime();
      assertThat(jar.awaitExit(Duration.ofSeconds(45))).isZero();
      System.out.printf("[measure] SIGTERM to exit: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      firstLog = jar.output();
    }
    assertThat(firstLog)
      .contains("\"message\":\"storage: using embedded PostgreSQL at 127.0.0.1:")
      .contains("applied " + MIGRATIONS + " migration(s), schema now at version " + MIGRATIONS)
      .contains("\"level\":\"INFO\"").contains("\"logger\":\"io.junction.app.Junction\"").contains("\"timestamp\":")
      .containsPattern("\\{[^\\n]*\"logger\":\"junction.access\"[^\\n]*\"path\":\"/traced\"[^\\n]*\"status\":404[^\\n]*"
        + "\"request_id\":\"it-req-1\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span_id\":\"[0-9a-f]{16}\"\\}");
    assertThat(Files.exists(dir.resolve("data/pg/PG_VERSION"))).as("data kept in ./data/pg").isTrue();
    String[] closeOrder = {"module http closed", "module gateway closed", "module routes closed", "module identity closed",
      "module events closed", "module audit closed", "module cache closed", "module config closed", "module storage closed", "Junction stopped"};
    int at = firstLog.indexOf("shutdown requested");
    assertThat(at).isPositive();
    for (String line : closeOrder) {
      int next = firstLog.indexOf(line, at);
      assertThat(next).as(line + " logged after the previous module").isGreaterThan(at);
      at = next;
    }

    // Restart on the same data directory: data kept, migrations not re-run.
    try (JarProcess again = JarProcess.start(dir, env)) {
      Duration ready = again.awaitReady(Duration.ofMinutes(2));
      System.out.printf("[measure] embedded Postgres, restart: ready in %d ms, RSS %d MiB%n", ready.toMillis(), again.rssMiB());
      again.terminate();
      assertThat(again.awaitExit(Duration.ofSeconds(45))).isZero();
      assertThat(again.output()).contains("storage: schema is up to date at version " + MIGRATIONS).doesNotContain("applied " + MIGRATIONS + " migration")
        .as("the password is shown once only").doesNotContain("generated password");
    }
  }

  @Test
  void bootsOnAnExternalPostgres() throws Exception {
    String db = TestPostgres.newDatabase();
    try {
      Map<String, String> env = ports();
      env.put("JUNCTION_STORAGE_URL", db);
      try (JarProcess jar = JarProcess.start(dir, env)) {
        Duration ready = jar.awaitReady(Duration.ofMinutes(2));
        System.out.printf("[measure] external Postgres: ready in %d ms, RSS %d MiB%n", ready.toMillis(), jar.rssMiB());
        jar.terminate();
        assertThat(jar.awaitExit(Duration.ofSeconds(45))).isZero();
        assertThat(jar.output()).contains("storage: using PostgreSQL at 127.0.0.1:" + TestPostgres.port());
      }
    } finally {
      TestPostgres.dropDatabase(db);
    }
  }

  private int runExpectingFailure(String yaml, Map<String, String> extraEnv, String... expected) throws Exception {
    if (yaml != null) {
      Files.createDirectories(dir.resolve("conf"));
      Files.writeString(dir.resolve("conf/junction.yaml"), yaml);
    }
    Map<String, String> env = ports();
    env.putAll(extraEnv);
    try (JarProcess jar = JarProcess.start(dir, env)) {
      int status = jar.awaitExit(Duration.ofSeconds(60));
      String out = jar.output();
      for (String e : expected) {
        assertThat(out).contains(e);
      }
      return status;
    }
  }

  @Test
  void malformedConfigFileRefusesToStart() throws Exception {
    assertThat(runExpectingFailure("http:\n  public: {port: 8080\n", Map.of(),
      "junction: Junction refused its configuration: conf/junction.yaml is not valid YAML at line")).isEqualTo(2);
  }

  @Test
  void unknownKeyRefusesToStart() throws Exception {
    assertThat(runExpectingFailure("htp:\n  public: {port: 8080}\n", Map.of(),
      "junction: Junction refused its configuration: conf/junction.yaml: config key 'htp' is unknown")).isEqualTo(2);
  }

  @Test
  void wrongTypeRefusesToStart() throws Exception {
    assertThat(runExpectingFailure("storage:\n  poolSize: lots\n", Map.of(),
      "config key 'storage.poolSize': value \"lots\" is a string, expected integer")).isEqualTo(2);
  }

  @Test
  void aRouteWithAnUnknownFilterRefusesToStart() throws Exception {
    String db = TestPostgres.newDatabase();
    try {
      assertThat(runExpectingFailure("gateway:\n  routes:\n    - id: users\n      uri: http://127.0.0.1:1\n      filters: [ \"StripPrefx=1\" ]\n",
        Map.of("JUNCTION_STORAGE_URL", db),
        "junction: Junction refused its configuration: module gateway:", "(route 'users')", "unknown filter 'StripPrefx'")).isEqualTo(2);
    } finally {
      TestPostgres.dropDatabase(db);
    }
  }

  @Test
  void badEnvOverrideRefusesToStart() throws Exception {
    assertThat(runExpectingFailure(null, Map.of("JUNCTION_HTTP_PUBLIC_PORT", "eighty"),
      "environment variable JUNCTION_HTTP_PUBLIC_PORT: value \"eighty\" is not an integer")).isEqualTo(2);
  }

  @Test
  void portInUseIsOneClearLineAndExit1() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("0.0.0.0"))) {
      String db = TestPostgres.newDatabase();
      try {
        int status = runExpectingFailure(null, Map.of("JUNCTION_STORAGE_URL", db, "JUNCTION_HTTP_PUBLIC_PORT", String.valueOf(taken.getLocalPort())),
          "junction: Junction failed to start: module http: cannot listen on 0.0.0.0:" + taken.getLocalPort() + " (http.public.port): address already in use");
        assertThat(status).isEqualTo(1);
      } finally {
        TestPostgres.dropDatabase(db);
      }
    }
  }

  @Test
  void unreachablePostgresFailsClearlyAfterRetrying() throws Exception {
    int dead = FreePorts.next();
    assertThat(runExpectingFailure(null, Map.of("JUNCTION_STORAGE_URL", "postgresql://junction:secret@127.0.0.1:" + dead + "/junction",
        "JUNCTION_STORAGE_CONNECTTIMEOUT", "1s"),
      "junction: Junction failed to start: module storage: PostgreSQL at 127.0.0.1:" + dead + "/junction as junction unreachable after 1s")).isEqualTo(1);
  }
}
