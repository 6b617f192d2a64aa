package io.junction.routes;

import io.junction.testkit.ContractClient;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestPostgres;
import io.junction.testkit.TestRedis;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static io.junction.routes.RoutesApiTest.route;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/v1/routes/{id} goes through the cache module's cache-aside component (L1, real Redis as L2, then
 * Postgres). Postgres itself counts the reads of the routes table: the test turns {@code routes} into a view over
 * the real table whose filter calls nextval() of a counting sequence for every row it hands to a query, so
 * "served without a database query" is what the database saw, not what the code claims.
 */
class RouteCacheTest {
  static JunctionTestKit kit;
  static RoutesClient client;

  @BeforeAll
  static void start() throws Exception {
    kit = JunctionTestKit.builder().env("JUNCTION_REDIS_URL", TestRedis.url()).start();
    client = new RoutesClient(kit);
    // routes becomes a view over the real table that bumps a sequence for every row it hands out
    sql("CREATE SEQUENCE route_reads");
    sql("CREATE FUNCTION count_route_read() RETURNS boolean LANGUAGE sql VOLATILE AS $$ SELECT nextval('route_reads') > 0 $$");
    sql("ALTER TABLE routes RENAME TO routes_data");
    sql("CREATE VIEW routes AS SELECT * FROM routes_data WHERE count_route_read()");
    sql("ALTER VIEW routes ALTER COLUMN updated_at SET DEFAULT now()");
    sql("ALTER VIEW routes ALTER COLUMN version SET DEFAULT 1");
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  static void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection(TestPostgres.jdbcUrl(kit.databaseUrl())); Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  /** Rows of routes the database has handed to queries so far. */
  static long reads() throws Exception {
    try (Connection c = DriverManager.getConnection(TestPostgres.jdbcUrl(kit.databaseUrl())); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM route_reads")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Reads once the gateway has re-read the stored routes after a write (routes.debounce later, one read of
   * every row): the count no longer moves for 300 ms.
   */
  static long settledReads() throws Exception {
    long last = reads();
    long stableSince = System.nanoTime();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() - stableSince < 300_000_000L && System.nanoTime() < deadline) {
      Thread.sleep(20);
      long now = reads();
      if (now != last) {
        last = now;
        stableSince = System.nanoTime();
      }
    }
    return last;
  }

  @Test
  void theSecondReadIsServedWithoutADatabaseQueryAndAWriteInvalidates() throws Exception {
    String etag = client.create(route("cached", "http://127.0.0.1:9", "/cached/**"));
    long before = settledReads();
    ContractClient.Response first = client.call("GET", "/api/v1/routes/cached", null);
    assertThat(first.status()).isEqualTo(200);
    long afterFirst = reads();
    assertThat(afterFirst - before).as("rows read by the first GET (a miss: the write invalidated)").isEqualTo(1);

    for (int i = 0; i < 5; i++) {
      assertThat(client.call("GET", "/api/v1/routes/cached", null).json()).isEqualTo(first.json());
    }
    assertThat(reads()).as("rows read by 5 more GETs").isEqualTo(afterFirst);

    // the value is in Redis (L2), under the cache module's key
    Redis redis = Redis.createClient(kit.vertx(), TestRedis.url());
    try {
      var value = redis.send(Request.cmd(Command.GET).arg("junction:routes:cached")).await(5, TimeUnit.SECONDS);
      assertThat(new JsonObject(value.toString()).getLong("version")).isEqualTo(1);
    } finally {
      redis.close();
    }

    ContractClient.Response changed = client.call("PATCH", "/api/v1/routes/cached", new JsonObject().put("order", 3), etag);
    assertThat(changed.status()).isEqualTo(200);
    long afterWrite = settledReads();
    ContractClient.Response fresh = client.call("GET", "/api/v1/routes/cached", null);
    assertThat(fresh.header("ETag")).isEqualTo("\"2\"");
    assertThat(fresh.json().getJsonObject("definition").getInteger("order")).isEqualTo(3);
    assertThat(reads() - afterWrite).as("the write invalidated: one read").isEqualTo(1);
    client.call("GET", "/api/v1/routes/cached", null);
    assertThat(reads() - afterWrite).as("then hits again").isEqualTo(1);
  }
}
