package io.junction.app;

import io.junction.config.ConfigLoader;
import io.junction.testkit.FreePorts;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestPostgres;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A module that cannot start fails the whole start with its name and the cause, and leaves nothing running. */
class StartupFailureTest {

  private static Throwable startFailure(Map<String, String> env) throws Exception {
    Map<String, String> all = new HashMap<>(env);
    all.putIfAbsent("JUNCTION_HTTP_PUBLIC_PORT", String.valueOf(FreePorts.next()));
    all.putIfAbsent("JUNCTION_HTTP_ADMIN_PORT", String.valueOf(FreePorts.next()));
    ConfigLoader loader = new ConfigLoader(all);
    Junction junction = new Junction(loader, loader.load());
    Throwable failure = catchThrowable(() -> junction.start().await(1, TimeUnit.MINUTES));
    junction.stop().await(1, TimeUnit.MINUTES);
    return failure;
  }

  @Test
  void unreachablePostgresIsRetriedThenNamed() throws Exception {
    int nothingThere = FreePorts.next();
    long t0 = System.nanoTime();
    Throwable failure = startFailure(Map.of("JUNCTION_STORAGE_URL", "postgresql://postgres@127.0.0.1:" + nothingThere + "/junction",
      "JUNCTION_STORAGE_CONNECTTIMEOUT", "1500ms"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(failure).isInstanceOf(ModuleStartException.class);
    assertThat(((ModuleStartException) failure).module()).isEqualTo("storage");
    assertThat(failure.getMessage())
      .startsWith("module storage: PostgreSQL at 127.0.0.1:" + nothingThere + "/junction as postgres unreachable after 1s (storage.connectTimeout)")
      .containsIgnoringCase("connection refused");
    assertThat(ms).as("kept retrying for the configured time").isGreaterThanOrEqualTo(1400);
  }

  @Test
  void portAlreadyInUseNamesTheListener() throws Exception {
    String db = TestPostgres.newDatabase();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Throwable failure = startFailure(Map.of("JUNCTION_STORAGE_URL", db, "JUNCTION_HTTP_ADMIN_HOST", "127.0.0.1",
        "JUNCTION_HTTP_ADMIN_PORT", String.valueOf(taken.getLocalPort())));
      assertThat(failure).isInstanceOf(ModuleStartException.class)
        .hasMessage("module http: cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (http.admin.port): address already in use");
    } finally {
      TestPostgres.dropDatabase(db);
    }
  }

  @Test
  void aFailedStartLeavesThePortsFree() throws Exception {
    int publicPort = FreePorts.next();
    startFailure(Map.of("JUNCTION_STORAGE_URL", "postgresql://postgres@127.0.0.1:" + FreePorts.next() + "/x",
      "JUNCTION_STORAGE_CONNECTTIMEOUT", "200ms", "JUNCTION_HTTP_PUBLIC_PORT", String.valueOf(publicPort)));
    try (JunctionTestKit kit = JunctionTestKit.builder().env("JUNCTION_HTTP_PUBLIC_PORT", String.valueOf(publicPort)).start()) {
      assertThat(kit.get("/").statusCode()).isEqualTo(404);
    }
  }
}
