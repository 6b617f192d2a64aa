package io.junction.http.api;

import io.junction.http.AdminApi;
import io.junction.testkit.ContractClient;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Requests routed by the contract to real handlers, every response checked against the contract by the
 * ContractClient; unknown paths and methods; handler failures; and the checker itself catching a handler
 * that breaks the contract.
 */
class ContractRoutingTest {
  static InMemoryIdentity identity;
  static ApiServer server;
  static ContractClient client;
  static ContractClient platform;
  static String admin;

  @BeforeAll
  static void start() {
    identity = new InMemoryIdentity();
    AdminApi real = identity.adminApi();
    // Two handlers misbehave on purpose: one throws, one answers a body the contract does not allow.
    AdminApi api = () -> {
      Map<String, Handler<RoutingContext>> ops = new HashMap<>(real.operations());
      ops.put("listPermissions", ctx -> {
        throw new IllegalStateException("boom: secret internal detail");
      });
      ops.put("deleteRole", ctx -> ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end("{\"deleted\":true}"));
      return ops;
    };
    server = ApiServer.start(List.of(api), identity.authApi(), identity.auth(), 4096);
    client = server.admin();
    platform = server.platform();
    admin = identity.token(identity.adminId);
  }

  @AfterAll
  static void stop() {
    client.close();
    platform.close();
    server.close();
  }

  @Test
  void userLifecycleFollowsTheContract() {
    ContractClient.Response created = client.post("/api/v1/users").bearer(admin)
      .json(new JsonObject().put("email", "ada@example.com").put("password", "pw").put("roles", new JsonArray().add("viewer"))).send();
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().getString("id");
    assertThat(created.header("Location")).isEqualTo("/api/v1/users/" + id);
    assertThat(created.header("ETag")).isEqualTo("\"1\"");

    assertThat(client.post("/api/v1/users").bearer(admin).json(new JsonObject().put("email", "ada@example.com").put("password", "pw")).send().status())
      .isEqualTo(409);
    ContractClient.Response page = client.get("/api/v1/users?email=EXAMPLE.com&limit=1").bearer(admin).send();
    assertThat(page.json().getJsonArray("items")).hasSize(1);
    assertThat(page.json().getString("nextCursor")).isNotNull();
    ContractClient.Response next = client.get("/api/v1/users?limit=200&cursor=" + page.json().getString("nextCursor")).bearer(admin).send();
    assertThat(next.json().getValue("nextCursor")).isNull();

    JsonObject update = new JsonObject().put("email", "ada.l@example.com").put("status", "disabled");
    ContractClient.Response updated = client.put("/api/v1/users/" + id).bearer(admin).header("If-Match", "\"1\"").json(update).send();
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.header("ETag")).isEqualTo("\"2\"");
    assertThat(client.put("/api/v1/users/" + id).bearer(admin).header("If-Match", "\"1\"").json(update).send().status()).isEqualTo(412);

    ContractClient.Response key = client.post("/api/v1/users/" + id + "/api-keys").bearer(admin).json(new JsonObject().put("name", "ci")).send();
    assertThat(key.status()).isEqualTo(201);
    assertThat(key.json().getString("key")).isNotBlank();
    assertThat(client.get("/api/v1/users/" + id + "/api-keys").bearer(admin).send().json().getJsonArray("items")).hasSize(1);
    assertThat(client.delete("/api/v1/users/" + id + "/api-keys/" + key.json().getString("id")).bearer(admin).send().status()).isEqualTo(204);

    assertThat(client.delete("/api/v1/users/" + id).bearer(admin).send().status()).isEqualTo(204);
    assertThat(client.get("/api/v1/users/" + id).bearer(admin).send().status()).isEqualTo(404);
  }

  @Test
  void rolesFollowTheContract() {
    ContractClient.Response created = client.post("/api/v1/roles").bearer(admin)
      .json(new JsonObject().put("id", "route-editor").put("permissions", new JsonArray().add("routes.routes.read"))).send();
    assertThat(created.status()).isEqualTo(201);
    assertThat(client.post("/api/v1/roles/route-editor/permissions").bearer(admin)
      .json(new JsonObject().put("permissions", new JsonArray().add("routes.routes.write"))).send().json().getJsonArray("permissions"))
      .containsExactly("routes.routes.read", "routes.routes.write");
    assertThat(client.get("/api/v1/roles?limit=1").bearer(admin).send().json().getString("nextCursor")).isEqualTo("1");
    assertThat(client.put("/api/v1/roles/route-editor").bearer(admin)
      .json(new JsonObject().put("description", null).put("permissions", new JsonArray())).send().status()).isEqualTo(200);
  }

  @Test
  void meIsNotTakenForAnId() {
    ContractClient.Response me = client.get("/api/v1/users/me").bearer(admin).send();
    assertThat(me.status()).isEqualTo(200);
    assertThat(identity.calls("getMe")).isPositive();
  }

  @Test
  void handlerRuleErrorsUseTheSameDetailShape() {
    ContractClient.Response r = client.post("/api/v1/users/me/password").bearer(identity.token(identity.viewerId))
      .json(new JsonObject().put("oldPassword", "wrong").put("newPassword", "new")).send();
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("oldPassword");
  }

  @Test
  void unknownPathIsJson404AndWrongMethodIs405WithAllow() {
    ContractClient.Response missing = client.get("/api/v1/nothing-here").bearer(admin).send();
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.error()).isEqualTo("not_found");
    ContractClient.Response wrong = client.request(io.vertx.core.http.HttpMethod.PATCH, "/api/v1/users/" + identity.adminId).bearer(admin).send();
    assertThat(wrong.status()).isEqualTo(405);
    assertThat(wrong.header("Allow")).isEqualTo("DELETE, GET, PUT");
    assertThat(wrong.error()).isEqualTo("method_not_allowed");
  }

  @Test
  void aThrowingHandlerIs500JsonWithoutItsMessage() {
    io.vertx.ext.web.client.WebClient web = io.vertx.ext.web.client.WebClient.create(server.vertx);
    try {
      var r = web.get(server.adminPort, "127.0.0.1", "/api/v1/permissions").putHeader("Authorization", "Bearer " + admin).send().await();
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("internal_error");
      assertThat(r.bodyAsString()).doesNotContain("boom").doesNotContain("Exception");
    } finally {
      web.close();
    }
  }

  @Test
  void theClientFailsATestWhenAHandlerBreaksTheContract() {
    assertThatThrownBy(() -> client.delete("/api/v1/roles/viewer").bearer(admin).send())
      .isInstanceOf(AssertionError.class).hasMessageContaining("deleteRole").hasMessageContaining("breaks the contract");
  }

  @Test
  void platformEndpointsRouteByTheAuthContract() {
    ContractClient.Response login = platform.post("/auth/login")
      .json(new JsonObject().put("email", InMemoryIdentity.ADMIN_EMAIL).put("password", InMemoryIdentity.PASSWORD)).send();
    assertThat(login.status()).isEqualTo(200);
    String access = login.json().getString("accessToken");
    assertThat(client.get("/api/v1/users/me").bearer(access).send().status()).isEqualTo(200);
    assertThat(platform.post("/auth/login").json(new JsonObject().put("email", "x@example.com").put("password", "no")).send().error())
      .isEqualTo("invalid_credentials");
    assertThat(platform.post("/auth/refresh").json(new JsonObject().put("refreshToken", login.json().getString("refreshToken"))).send().status())
      .isEqualTo(200);
    ContractClient.Response bad = platform.post("/auth/logout").json(new JsonObject()).send();
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("refreshToken");
    assertThat(platform.get("/.well-known/jwks.json").send().json().getJsonArray("keys")).hasSize(1);
    assertThat(platform.get("/auth/login").send().status()).isEqualTo(405);
    assertThat(platform.get("/no/such/route").send().status()).isEqualTo(404);
  }
}
