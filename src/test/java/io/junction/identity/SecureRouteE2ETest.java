package io.junction.identity;

import io.junction.testkit.Eventually;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Secure a route" walkthrough, end to end with the real identity module: users and roles made
 * through the admin API, tokens from /auth/login, API keys from /api/v1/users/{id}/api-keys, all checked by the
 * gateway's filters on a real upstream.
 */
class SecureRouteE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;
  static IdentityClient client;
  static String admin;
  static String adaId;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("orders");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: orders
            uri: %1$s
            predicates: [ "Path=/orders/**" ]
            filters:
              - JwtAuth
              - RequirePermissions=orders.items.read
              - JwtClaimHeader=sub, X-User-Id
          - id: orders-by-key
            uri: %1$s
            predicates: [ "Path=/batch/**" ]
            filters: [ ApiKey, "RequireRoles=orders-reader" ]
      """.formatted(upstream.url())).start();
    client = new IdentityClient(kit);
    admin = client.adminToken();
    assertThat(client.admin("POST", "/api/v1/roles", admin, new JsonObject().put("id", "orders-reader")
      .put("permissions", new JsonArray().add("orders.items.read"))).status()).isEqualTo(201);
    adaId = client.createUser(admin, "ada@example.com", "ada-password-123", "orders-reader");
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  private static HttpResponse<String> get(String path, String header, String value) {
    HttpRequest.Builder b = HttpRequest.newBuilder(kit.publicUri(path));
    if (header != null) {
      b.header(header, value);
    }
    return JunctionTestKit.send(b.build());
  }

  @Test
  void aGoodTokenWithThePermissionReachesTheUpstreamWithTheUserId() {
    String ada = client.token("ada@example.com", "ada-password-123");
    HttpResponse<String> ok = get("/orders/1", "Authorization", "Bearer " + ada);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(ok.body()).getJsonObject("headers").getString("x-user-id")).isEqualTo(adaId);
  }

  @Test
  void missingBadOrUnderprivilegedTokensAreRefusedWithJsonErrors() {
    int before = upstream.requests();
    HttpResponse<String> none = get("/orders/1", null, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
    assertThat(new JsonObject(none.body()).getString("error")).isNotBlank();
    String ada = client.token("ada@example.com", "ada-password-123");
    String tampered = ada.substring(0, ada.lastIndexOf('.') + 1) + "AAAA" + ada.substring(ada.lastIndexOf('.') + 5);
    assertThat(get("/orders/1", "Authorization", "Bearer " + tampered).statusCode()).isEqualTo(401);
    assertThat(get("/orders/1", "Authorization", "Bearer " + "x".repeat(9000)).statusCode()).isEqualTo(401);
    // The admin is authenticated but has no orders.items.read: forbidden.
    HttpResponse<String> forbidden = get("/orders/1", "Authorization", "Bearer " + admin);
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(forbidden.body()).contains("orders.items.read");
    assertThat(upstream.requests()).as("nothing refused reached the upstream").isEqualTo(before);
  }

  @Test
  void aRoleChangeIsVisibleOnTheGatewayOnTheNextRequest() {
    String bob = "bob@example.com";
    String bobId = client.createUser(admin, bob, "bob-password-123");
    String token = client.token(bob, "bob-password-123");
    assertThat(get("/orders/2", "Authorization", "Bearer " + token).statusCode()).isEqualTo(403);
    client.admin("POST", "/api/v1/users/" + bobId + "/roles", admin, new JsonObject().put("roles", new JsonArray().add("orders-reader")));
    Eventually.until("granted on the gateway", Duration.ofSeconds(2), () -> get("/orders/2", "Authorization", "Bearer " + token).statusCode() == 200);
    client.admin("DELETE", "/api/v1/users/" + bobId + "/roles", admin, new JsonObject().put("roles", new JsonArray().add("orders-reader")));
    Eventually.until("revoked on the gateway", Duration.ofSeconds(2), () -> get("/orders/2", "Authorization", "Bearer " + token).statusCode() == 403);
  }

  @Test
  void apiKeysIssuedThroughTheAdminApiOpenTheKeyedRouteUntilRevoked() {
    IdentityClient.Reply created = client.admin("POST", "/api/v1/users/" + adaId + "/api-keys", admin, new JsonObject().put("name", "nightly batch"));
    assertThat(created.status()).isEqualTo(201);
    String key = created.json().getString("key");
    assertThat(key).startsWith("jk_");
    IdentityClient.Reply listed = client.admin("GET", "/api/v1/users/" + adaId + "/api-keys", admin, null);
    assertThat(listed.body()).doesNotContain(key).contains(created.json().getString("prefix"));
    Eventually.until("key usable", Duration.ofSeconds(2), () -> get("/batch/run", "X-Api-Key", key).statusCode() == 200);
    assertThat(get("/batch/run", "X-Api-Key", key + "x").statusCode()).isEqualTo(401);
    assertThat(client.admin("DELETE", "/api/v1/users/" + adaId + "/api-keys/" + created.json().getString("id"), admin, null).status()).isEqualTo(204);
    Eventually.until("key revoked", Duration.ofSeconds(2), () -> get("/batch/run", "X-Api-Key", key).statusCode() == 401);
    assertThat(client.admin("POST", "/api/v1/users/" + adaId + "/api-keys", admin,
      new JsonObject().put("name", "old").put("expiresAt", "2001-01-01T00:00:00Z")).status()).isEqualTo(400);
  }
}
