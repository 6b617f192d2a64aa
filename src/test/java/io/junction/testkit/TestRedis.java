package io.junction.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Real Redis for tests: the machine's server on 127.0.0.1:6379 when it answers, else a redis-server process
 * (Debian package redis-server) started on a free port for this test JVM.
 */
public final class TestRedis {
  private static String url;

  private TestRedis() {
  }

  public static synchronized String url() {
    if (url != null) {
      return url;
    }
    if (reachable(6379)) {
      url = "redis://127.0.0.1:6379";
      return url;
    }
    int port = FreePorts.next();
    try {
      Path dir = Files.createTempDirectory("junction-redis");
      Process redis = new ProcessBuilder(List.of("redis-server", "--bind", "127.0.0.1", "--port", String.valueOf(port),
        "--save", "", "--appendonly", "no", "--dir", dir.toString()))
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
      Runtime.getRuntime().addShutdownHook(new Thread(redis::destroy));
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!reachable(port)) {
        if (System.nanoTime() > deadline || !redis.isAlive()) {
          throw new IllegalStateException("redis-server did not start on port " + port);
        }
        Thread.sleep(50);
      }
    } catch (IOException e) {
      throw new IllegalStateException("no Redis on 127.0.0.1:6379 and redis-server cannot be started "
        + "(install the Debian package redis-server): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    url = "redis://127.0.0.1:" + port;
    return url;
  }

  private static boolean reachable(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
