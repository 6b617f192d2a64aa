package io.junction.app;

import io.junction.config.ConfigException;
import io.junction.config.ConfigLoader;
import io.junction.config.Durations;
import io.junction.observability.LogSetup;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar junction.jar}: reads the configuration, starts Junction, and stops it cleanly on SIGTERM or
 * SIGINT (exit 0). Exit 2: the configuration is refused. Exit 1: a module did not start.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    ConfigLoader loader = new ConfigLoader(System.getenv());
    JsonObject config;
    try {
      config = loader.load();
    } catch (ConfigException e) {
      fail(2, "Junction refused its configuration: " + e.getMessage());
      return;
    }
    JsonObject logging = config.getJsonObject("logging");
    LogSetup.apply(logging.getString("format"), logging.getString("level"));

    Junction junction = new Junction(loader, config);
    try {
      junction.start().await(15, TimeUnit.MINUTES);
    } catch (Exception e) {
      String reason = e instanceof ModuleStartException ? e.getMessage() : "module unknown: " + e;
      awaitQuietly(junction, Duration.ofSeconds(30));
      if (e.getCause() instanceof ConfigException) {
        // a module found a problem in its section (e.g. a route naming an unknown filter): a refused configuration
        fail(2, "Junction refused its configuration: " + reason);
      } else {
        fail(1, "Junction failed to start: " + reason);
      }
      return;
    }
    Duration grace = Durations.parse(config.getJsonObject("shutdown").getValue("gracePeriod"));
    Runnable shutdown = () -> {
      LOG.info("shutdown requested: draining for up to {} s", grace.toSeconds());
      awaitQuietly(junction, grace.plusSeconds(15));
      System.exit(0);
    };
    Signal.handle(new Signal("TERM"), sig -> new Thread(shutdown, "junction-shutdown").start());
    Signal.handle(new Signal("INT"), sig -> new Thread(shutdown, "junction-shutdown").start());
  }

  private static void awaitQuietly(Junction junction, Duration limit) {
    try {
      junction.stop().await(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("shutdown did not finish cleanly: {}", e.toString());
    }
  }

  /** One clear line in the log and on stderr, then a non-zero exit. */
  private static void fail(int status, String message) {
    LOG.error(message);
    System.err.println("junction: " + message);
    System.exit(status);
  }
}
