package io.junction.http.api;

import io.junction.testkit.ContractClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** 401 before 403 before 400 before the handler: strangers learn nothing about what a valid request is. */
class AuthOrderTest {
  static InMemoryIdentity identity;
  static ApiServer server;
  static ContractClient client;
  static final JsonObject BAD_BODY = new JsonObject().put("unknown", true);

  @BeforeAll
  static void start() {
    identity = new InMemoryIdentity();
    server = ApiServer.start(identity);
    client = server.admin();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @Test
  void noTokenIs401WithChallengeEvenOnABadBody() {
    ContractClient.Response r = client.post("/api/v1/users").json(BAD_BODY).send();
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(r.error()).isEqualTo("unauthorized");
    assertThat(identity.calls("createUser")).isZero();
  }

  @Test
  void unknownTokenIs401WithTheAuthenticatorsCode() {
    ContractClient.Response r = client.post("/api/v1/users").bearer("t-nobody").body("text/plain", "x").send();
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.error()).isEqualTo("invalid_token");
    assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
  }

  @Test
  void callerWithoutThePermissionIs403NamingItEvenOnABadBody() {
    ContractClient.Response r = client.post("/api/v1/users").bearer(identity.token(identity.viewerId)).json(BAD_BODY).send();
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.error()).isEqualTo("forbidden");
    assertThat(r.json().getString("message")).contains("identity.users.write");
    assertThat(identity.calls("createUser")).isZero();
  }

  @Test
  void callerWithThePermissionGetsTheValidationError() {
    ContractClient.Response r = client.post("/api/v1/users").bearer(identity.token(identity.adminId)).json(BAD_BODY).send();
    assertThat(r.status()).isEqualTo(400);
    assertThat(identity.calls("createUser")).isZero();
  }

  @Test
  void operationWithoutPermissionNeedsOnlyAToken() {
    assertThat(client.get("/api/v1/users/me").send().status()).isEqualTo(401);
    ContractClient.Response me = client.get("/api/v1/users/me").bearer(identity.token(identity.viewerId)).send();
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().getString("email")).isEqualTo(InMemoryIdentity.VIEWER_EMAIL);
  }

  @Test
  void theDocumentNeedsNoToken() {
    assertThat(client.get("/api/v1/openapi.yaml").send().status()).isEqualTo(200);
    assertThat(client.get("/api/v1/openapi.json").send().status()).isEqualTo(200);
  }
}
