package io.junction.http.api;

import io.junction.testkit.ContractClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;

/** Each kind of bad input gets a 400/413/415 naming the field, and no handler ever sees it. */
class BadInputTest {
  static InMemoryIdentity identity;
  static ApiServer server;
  static ContractClient client;
  static String admin;
  int callsBefore;

  @BeforeAll
  static void start() {
    identity = new InMemoryIdentity();
    server = ApiServer.start(identity);
    client = server.admin();
    admin = identity.token(identity.adminId);
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @BeforeEach
  void count() {
    callsBefore = identity.totalCalls();
  }

  @AfterEach
  void noHandlerReached() {
    assertThat(identity.totalCalls()).as("handler invocations").isEqualTo(callsBefore);
  }

  @Test
  void wrongTypeNamesTheField() {
    ContractClient.Response r = createUser(new JsonObject().put("email", 42).put("password", "x"));
    assertDetail(r, "body", "email", "/body/email", "type");
  }

  @Test
  void missingRequiredFieldNamesTheField() {
    ContractClient.Response r = createUser(new JsonObject().put("password", "x"));
    assertDetail(r, "body", "email", "/body/email", "required");
  }

  @Test
  void unknownFieldIsRejected() {
    ContractClient.Response r = createUser(new JsonObject().put("email", "a@example.com").put("password", "x").put("isAdmin", true));
    assertDetail(r, "body", "isAdmin", "/body/isAdmin", "additionalProperties");
    assertThat(r.json().getJsonArray("details")).hasSize(1);
  }

  @Test
  void oversizeStringIsRejected() {
    ContractClient.Response r = createUser(new JsonObject().put("email", "a@example.com").put("password", "p".repeat(1025)));
    assertDetail(r, "body", "password", "/body/password", "maxLength");
  }

  @Test
  void oversizeArrayIsRejected() {
    JsonArray roles = new JsonArray(Collections.nCopies(101, "viewer"));
    ContractClient.Response r = createUser(new JsonObject().put("email", "a@example.com").put("password", "x").put("roles", roles));
    assertDetail(r, "body", "roles", "/body/roles", "maxItems");
  }

  @Test
  void badItemInAnArrayIsPointedAt() {
    ContractClient.Response r = createUser(new JsonObject().put("email", "a@example.com").put("password", "x")
      .put("roles", new JsonArray().add("viewer").add("Not A Role")));
    assertDetail(r, "body", "roles[1]", "/body/roles/1", "pattern");
  }

  @Test
  void everyFailingFieldIsListed() {
    ContractClient.Response r = createUser(new JsonObject().put("email", "not-an-email").put("password", "").put("extra", 1));
    JsonArray details = r.json().getJsonArray("details");
    assertThat(details.stream().map(d -> ((JsonObject) d).getString("pointer")))
      .containsExactlyInAnyOrder("/body/email", "/body/password", "/body/extra");
    assertThat(r.json().getString("message")).startsWith("invalid request: ").contains("(and 2 more problems)");
  }

  @Test
  void malformedJsonIs400() {
    ContractClient.Response r = client.post("/api/v1/users").bearer(admin).body("application/json", "{\"email\": ").send();
    assertDetail(r, "body", "body", "/body", "syntax");
  }

  @Test
  void wrongContentTypeIs415() {
    ContractClient.Response r = client.post("/api/v1/users").bearer(admin).body("text/plain", "{\"email\":\"a@example.com\",\"password\":\"x\"}").send();
    assertThat(r.status()).isEqualTo(415);
    assertThat(r.error()).isEqualTo("unsupported_media_type");
    assertThat(r.json().getString("message")).contains("application/json").contains("text/plain");
  }

  @Test
  void missingContentTypeIs415() {
    ContractClient.Response r = client.post("/api/v1/users").bearer(admin).body(null, "{\"email\":\"a@example.com\",\"password\":\"x\"}").send();
    assertThat(r.status()).isEqualTo(415);
    assertThat(r.json().getString("message")).contains("Content-Type is missing");
  }

  @Test
  void nonUtf8CharsetIs415() {
    ContractClient.Response r = client.post("/api/v1/users").bearer(admin)
      .body("application/json; charset=iso-8859-1", "{\"email\":\"a@example.com\",\"password\":\"x\"}").send();
    assertThat(r.status()).isEqualTo(415);
  }

  @Test
  void missingBodyIs400() {
    ContractClient.Response r = client.post("/api/v1/users").bearer(admin).send();
    assertDetail(r, "body", "body", "/body", "required");
  }

  @Test
  void unknownQueryParameterIs400() {
    ContractClient.Response r = client.get("/api/v1/users?limit=10&sort=email").bearer(admin).send();
    assertDetail(r, "query", "sort", "/query/sort", "unknown");
    assertThat(r.json().getJsonArray("details").getJsonObject(0).getString("reason")).contains("cursor", "email", "limit", "status");
  }

  @Test
  void queryParameterOfTheWrongTypeIs400() {
    assertDetail(client.get("/api/v1/users?limit=ten").bearer(admin).send(), "query", "limit", "/query/limit", "type");
    assertDetail(client.get("/api/v1/users?limit=201").bearer(admin).send(), "query", "limit", "/query/limit", "maximum");
    assertDetail(client.get("/api/v1/users?status=gone").bearer(admin).send(), "query", "status", "/query/status", "enum");
    assertDetail(client.get("/api/v1/users?cursor=" + "c".repeat(513)).bearer(admin).send(), "query", "cursor", "/query/cursor", "maxLength");
  }

  @Test
  void pathParameterOfTheWrongFormatIs400() {
    assertDetail(client.get("/api/v1/users/not-a-uuid").bearer(admin).send(), "path", "id", "/path/id", "format");
    assertDetail(client.get("/api/v1/roles/Bad_Role").bearer(admin).send(), "path", "id", "/path/id", "pattern");
  }

  @Test
  void bodyOverTheLimitIs413() {
    ContractClient.Response r = client.post("/api/v1/users").bearer(admin)
      .body("application/json", "{\"email\":\"a@example.com\",\"password\":\"" + "x".repeat(5000) + "\"}").send();
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.error()).isEqualTo("payload_too_large");
  }

  @Test
  void emptyRoleListIsRejected() {
    ContractClient.Response r = client.post("/api/v1/users/" + identity.viewerId + "/roles").bearer(admin)
      .json(new JsonObject().put("roles", new JsonArray())).send();
    assertDetail(r, "body", "roles", "/body/roles", "minItems");
  }

  private static ContractClient.Response createUser(JsonObject body) {
    return client.post("/api/v1/users").bearer(admin).json(body).send();
  }

  private static void assertDetail(ContractClient.Response r, String in, String field, String pointer, String keyword) {
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.error()).isEqualTo("invalid_request");
    assertThat(r.json().getString("requestId")).isNotBlank();
    assertThat(r.text()).doesNotContain("Exception").doesNotContain("\tat ");
    JsonArray details = r.json().getJsonArray("details");
    assertThat(details.stream().map(JsonObject.class::cast))
      .as(details.encodePrettily())
      .anySatisfy(d -> {
        assertThat(d.getString("in")).isEqualTo(in);
        assertThat(d.getString("field")).isEqualTo(field);
        assertThat(d.getString("pointer")).isEqualTo(pointer);
        assertThat(d.getString("keyword")).isEqualTo(keyword);
        assertThat(d.getString("reason")).isNotBlank();
      });
  }
}
