package io.junction.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real fat jar run as a process, the way an operator runs it: {@code java -jar target/junction.jar}. */
public final class JarProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final Path log;
  private final int adminPort;

  private JarProcess(Process process, Path log, int adminPort) {
    this.process = process;
    this.log = log;
    this.adminPort = adminPort;
  }

  /** Starts the jar in workDir with only the given environment on top of a clean one (no inherited JUNCTION_*). */
  public static JarProcess start(Path workDir, Map<String, String> env) throws IOException {
    Path jar = Path.of(System.getProperty("junction.jar", Path.of(System.getProperty("user.dir"), "target", "junction.jar").toString())).toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run through `mvn verify`, which packages before the integration tests");
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = Files.createTempFile(workDir, "junction", ".log");
    ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx512m", "-jar", jar.toString()))
      .directory(workDir.toFile())
      .redirectErrorStream(true)
      .redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("JUNCTION_"));
    builder.environment().putAll(env);
    int admin = Integer.parseInt(env.getOrDefault("JUNCTION_HTTP_ADMIN_PORT", "8081"));
    return new JarProcess(builder.start(), log, admin);
  }

  public long pid() {
    return process.pid();
  }

  /** Polls /health/ready until 200; returns how long it took. Fails if the process dies or time runs out. */
  public Duration awaitReady(Duration limit) throws Exception {
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("junction exited with " + process.exitValue() + " before ready:\n" + output());
      }
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health/ready"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not ready within " + limit + ":\n" + output());
  }

  /** Resident set size from /proc, in MiB. */
  public long rssMiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return -1;
  }

  /** SIGTERM (Process.destroy sends SIGTERM on Linux). */
  public void terminate() {
    process.destroy();
  }

  /** Waits for the exit and returns its status; fails if it takes longer than the limit. */
  public int awaitExit(Duration limit) throws InterruptedException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + limit);
    }
    return process.exitValue();
  }

  public String output() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
