package io.junction.app;

import io.junction.testkit.JunctionTestKit;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Each module answers on its event-bus address with real work against Postgres; bad messages get a 400. */
class ModuleAddressesTest {
  static JunctionTestKit kit;
  static EventBus bus;

  @BeforeAll
  static void start() {
    kit = JunctionTestKit.builder().yaml("gateway:\n  routes:\n    - id: users\n      uri: http://127.0.0.1:9\n").start();
    bus = kit.vertx().eventBus();
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  private static JsonObject request(String address, Object body) throws Exception {
    return (JsonObject) bus.request(address, body).await(10, TimeUnit.SECONDS).body();
  }

  @Test
  void auditRecordsAreChainedAndCommittedBeforeTheReply() throws Exception {
    JsonObject first = request("junction.audit.record", new JsonObject().put("actor", "alice").put("action", "route.create")
      .put("target", "route:users").put("outcome", "success").put("metadata", new JsonObject().put("b", 1).put("a", "x")));
    JsonObject second = request("junction.audit.record", new JsonObject().put("actor", "bob").put("action", "route.delete").put("outcome", "denied"));
    assertThat(second.getLong("seq")).isEqualTo(first.getLong("seq") + 1);
    try (Connection c = DriverManager.getConnection(io.junction.testkit.TestPostgres.jdbcUrl(kit.databaseUrl()));
         Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT prev_hash, hash FROM audit_log WHERE seq = " + second.getLong("seq"))) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("prev_hash")).isEqualTo(first.getString("hash"));
      assertThat(rs.getString("hash")).isEqualTo(second.getString("hash")).hasSize(64);
    }
  }

  @Test
  void auditRecordWithoutActorIsRefused() {
    ReplyException e = catchThrowableOfType(ReplyException.class,
      () -> request("junction.audit.record", new JsonObject().put("action", "x.y").put("outcome", "success")));
    assertThat(e.failureCode()).isEqualTo(400);
    assertThat(e.getMessage()).contains("actor is required");
  }

  @Test
  void eventsGoToTheOutboxThenToLocalSubscribers() throws Exception {
    CompletableFuture<JsonObject> heard = new CompletableFuture<>();
    bus.<JsonObject>consumer("junction.events.route.created", msg -> heard.complete(msg.body())).completion().await(5, TimeUnit.SECONDS);
    JsonObject reply = request("junction.events.publish", new JsonObject().put("type", "route.created").put("subject", "users")
      .put("data", new JsonObject().put("id", "users")));
    JsonObject event = heard.get(5, TimeUnit.SECONDS);
    assertThat(event.getString("id")).isEqualTo(reply.getString("id"));
    assertThat(event.getString("source")).isEqualTo("junction");
    assertThat(event.getString("subject")).isEqualTo("users");
    assertThat(event.getJsonObject("data").getString("id")).isEqualTo("users");
    try (Connection c = DriverManager.getConnection(io.junction.testkit.TestPostgres.jdbcUrl(kit.databaseUrl()));
         Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT topic, key, envelope->>'type' FROM outbox WHERE id = '" + reply.getString("id") + "'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("junction.route");
      assertThat(rs.getString(2)).isEqualTo("users");
      assertThat(rs.getString(3)).isEqualTo("route.created");
    }
  }

  @Test
  void eventWithABadTypeIsRefused() {
    ReplyException e = catchThrowableOfType(ReplyException.class, () -> request("junction.events.publish", new JsonObject().put("type", "Created!")));
    assertThat(e.failureCode()).isEqualTo(400);
  }

  @Test
  void identityAnswersPermissionsOfBuiltInRoles() throws Exception {
    JsonArray viewer = request("junction.identity.permissions", new JsonObject().put("roles", new JsonArray().add("viewer"))).getJsonArray("permissions");
    assertThat(viewer).contains("gateway.routes.read", "audit.log.read").doesNotContain("gateway.routes.write");
    JsonArray admin = request("junction.identity.permissions", new JsonObject().put("roles", new JsonArray().add("admin"))).getJsonArray("permissions");
    assertThat(admin).contains("gateway.routes.write", "platform.backup.write");
    ReplyException e = catchThrowableOfType(ReplyException.class, () -> request("junction.identity.permissions", new JsonObject().put("roles", "admin")));
    assertThat(e.failureCode()).isEqualTo(400);
  }

  @Test
  void routesModuleReadsTheRoutesTable() throws Exception {
    assertThat(request("junction.routes.list", new JsonObject()).getJsonArray("items")).isEmpty();
    ReplyException e = catchThrowableOfType(ReplyException.class, () -> request("junction.routes.get", new JsonObject().put("id", "nope")));
    assertThat(e.failureCode()).isEqualTo(404);
  }

  @Test
  void gatewayKnowsTheConfiguredRoutes() throws Exception {
    assertThat(request("junction.gateway.routes", new JsonObject()).getJsonArray("routes")).containsExactly("users");
  }

  @Test
  void configAnswersTheAppliedConfiguration() throws Exception {
    JsonObject config = request("junction.config.get", new JsonObject());
    assertThat(config.getJsonObject("http").getJsonObject("public").getInteger("port")).isEqualTo(kit.publicPort());
  }

  @Test
  void cacheInvalidationDropsOneKeyOrAWholeCache() throws Exception {
    var cache = kit.junction().caches().l1("test-routes", 100, java.time.Duration.ofMinutes(1));
    cache.put("users", "u");
    cache.put("orders", "o");
    bus.publish("junction.cache.invalidate", new JsonObject().put("cache", "test-routes").put("key", "users"));
    awaitTrue(() -> cache.getIfPresent("users") == null);
    assertThat(cache.getIfPresent("orders")).isEqualTo("o");
    bus.publish("junction.cache.invalidate", new JsonObject()); // no cache name: ignored, logged
    bus.publish("junction.cache.invalidate", new JsonObject().put("cache", "test-routes"));
    awaitTrue(() -> cache.getIfPresent("orders") == null);
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
