package io.junction.http;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TcpProxy;
import io.junction.testkit.TestPostgres;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Postgres going away flips /health/ready to 503 within 5 s, and back to 200 when it returns. */
class ReadinessTest {

  @Test
  void readinessFollowsPostgres() throws Exception {
    String db = TestPostgres.newDatabase();
    try (TcpProxy proxy = new TcpProxy(TestPostgres.port())) {
      String viaProxy = db.replace(":" + TestPostgres.port() + "/", ":" + proxy.port() + "/");
      try (JunctionTestKit kit = JunctionTestKit.builder().database(viaProxy).start()) {
        assertThat(kit.admin("/health/ready").statusCode()).isEqualTo(200);
        assertThat(kit.admin("/health/live").statusCode()).isEqualTo(200);

        proxy.cut();
        long downAt = System.nanoTime();
        HttpResponse<String> down = awaitStatus(kit, 503, Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - downAt)).isLessThan(Duration.ofSeconds(5));
        JsonObject postgres = JunctionTestKit.check(new JsonObject(down.body()).getJsonArray("checks"), "postgres");
        assertThat(postgres.getString("status")).isEqualTo("DOWN");
        assertThat(kit.admin("/health/live").statusCode()).as("liveness does not depend on Postgres").isEqualTo(200);

        proxy.restore();
        awaitStatus(kit, 200, Duration.ofSeconds(5));
      }
    } finally {
      TestPostgres.dropDatabase(db);
    }
  }

  private static HttpResponse<String> awaitStatus(JunctionTestKit kit, int status, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    HttpResponse<String> last;
    do {
      last = kit.admin("/health/ready");
      if (last.statusCode() == status) {
        return last;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("/health/ready stayed " + last.statusCode() + " (wanted " + status + "): " + last.body());
  }
}
