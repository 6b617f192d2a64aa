package io.junction.cache;

import io.junction.testkit.TestPostgres;
import io.junction.testkit.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.junction.cache.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hit path against a real Postgres: the loader is a real query, and Postgres itself counts how often it
 * ran (the query calls a function that bumps a counter row), so "served without a database query" is the
 * database's word, not the test's.
 */
class CachePostgresTest {
  private String database;
  private String jdbc;
  private CacheNode a;
  private CacheNode b;
  private Pool poolA;
  private Pool poolB;
  private final String name = "pg-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void start() throws Exception {
    database = TestPostgres.newDatabase();
    jdbc = TestPostgres.jdbcUrl(database);
    sql("""
      CREATE TABLE items (id text PRIMARY KEY, body jsonb NOT NULL);
      CREATE TABLE item_reads (n bigint NOT NULL);
      INSERT INTO item_reads VALUES (0);
      CREATE FUNCTION read_item(p_id text) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        UPDATE item_reads SET n = n + 1;
        RETURN (SELECT body FROM items WHERE id = p_id);
      END $$;
      INSERT INTO items VALUES ('users', '{"id": "users", "version": 1}');
      """);
    a = CacheNode.alone(CacheNode.redis(TestRedis.url()));
    b = CacheNode.alone(CacheNode.redis(TestRedis.url()));
    poolA = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(database)).using(a.vertx).build();
    poolB = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(database)).using(b.vertx).build();
  }

  @AfterEach
  void stop() throws Exception {
    poolA.close().await(10, TimeUnit.SECONDS);
    poolB.close().await(10, TimeUnit.SECONDS);
    a.close();
    b.close();
    TestPostgres.dropDatabase(database);
  }

  private static Supplier<Future<JsonObject>> query(Pool pool, String id) {
    return () -> pool.preparedQuery("SELECT read_item($1) AS body").execute(Tuple.of(id))
      .map(rows -> rows.iterator().next().getJsonObject("body"));
  }

  @Test
  void theSecondReadIsServedWithoutADatabaseQuery() throws Exception {
    CacheAside<JsonObject> cache = a.caches.cache(name, CacheSpec.of(1000, Duration.ofMinutes(1)), Codec.JSON_OBJECT);

    assertThat(result(cache.get("users", query(poolA, "users"))).getInteger("version")).isEqualTo(1);
    assertThat(queries()).as("queries after the first read").isEqualTo(1);
    for (int i = 0; i < 10; i++) {
      assertThat(result(cache.get("users", query(poolA, "users"))).getInteger("version")).isEqualTo(1);
    }
    assertThat(queries()).as("queries after 10 more reads").isEqualTo(1);

    // Another node: served by L2, still no query.
    CacheAside<JsonObject> onB = b.caches.cache(name, CacheSpec.of(1000, Duration.ofMinutes(1)), Codec.JSON_OBJECT);
    assertThat(result(onB.get("users", query(poolB, "users"))).getInteger("version")).isEqualTo(1);
    assertThat(queries()).as("queries after node b's read").isEqualTo(1);

    // A write invalidates: the next read queries once and sees it, then hits again.
    sql("UPDATE items SET body = '{\"id\": \"users\", \"version\": 2}' WHERE id = 'users'");
    result(cache.invalidate("users"));
    assertThat(result(cache.get("users", query(poolA, "users"))).getInteger("version")).isEqualTo(2);
    assertThat(result(cache.get("users", query(poolA, "users"))).getInteger("version")).isEqualTo(2);
    assertThat(queries()).isEqualTo(2);
  }

  private long queries() throws Exception {
    try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT n FROM item_reads")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void sql(String statements) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement()) {
      st.execute(statements);
    }
  }
}
