package io.junction.identity;

import io.junction.testkit.Eventually;
import io.junction.testkit.JunctionTestKit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Roles, permissions and their enforcement on the admin API, against a real Junction and Postgres. */
class RbacTest {
  static JunctionTestKit kit;
  static IdentityClient client;
  static String admin;

  @BeforeAll
  static void start() {
    kit = JunctionTestKit.builder().start();
    client = new IdentityClient(kit);
    admin = client.adminToken();
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  @Test
  void noOrBadTokenIs401WithAChallenge() {
    IdentityClient.Reply none = client.admin("GET", "/api/v1/users", null, null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(none.json().getString("requestId")).isNotBlank();
    IdentityClient.Reply garbage = client.admin("GET", "/api/v1/users", "not.a.jwt", null);
    assertThat(garbage.status()).isEqualTo(401);
    String tampered = admin.substring(0, admin.length() - 4) + (admin.endsWith("AAAA") ? "BBBB" : "AAAA");
    assertThat(client.admin("GET", "/api/v1/users", tampered, null).status()).isEqualTo(401);
  }

  @Test
  void aViewerReadsButCannotWrite() {
    client.createUser(admin, "viewer@rbac.test", "viewer-password", "viewer");
    String viewer = client.token("viewer@rbac.test", "viewer-password");
    assertThat(client.admin("GET", "/api/v1/users", viewer, null).status()).isEqualTo(200);
    assertThat(client.admin("GET", "/api/v1/roles", viewer, null).status()).isEqualTo(200);
    IdentityClient.Reply write = client.admin("POST", "/api/v1/users", viewer, new JsonObject().put("email", "x@rbac.test").put("password", "some-password-1"));
    assertThat(write.status()).isEqualTo(403);
    assertThat(write.json().getString("message")).contains("identity.users.write");
    assertThat(client.admin("POST", "/api/v1/roles", viewer, new JsonObject().put("id", "sneaky")).status()).isEqualTo(403);
  }

  @Test
  void aUserWithoutRolesMayStillSeeThemselves() {
    client.createUser(admin, "plain@rbac.test", "plain-password-1");
    String plain = client.token("plain@rbac.test", "plain-password-1");
    assertThat(client.admin("GET", "/api/v1/users/me", plain, null).status()).isEqualTo(200);
    assertThat(client.admin("GET", "/api/v1/users", plain, null).status()).isEqualTo(403);
  }

  @Test
  void nobodyChangesTheirOwnRoles() {
    IdentityClient.Reply self = client.admin("POST", "/api/v1/users/" + client.admin("GET", "/api/v1/users/me", admin, null).json().getString("id") + "/roles",
      admin, new JsonObject().put("roles", new JsonArray().add("viewer")));
    assertThat(self.status()).isEqualTo(403);
    assertThat(self.json().getString("message")).contains("own roles");
  }

  @Test
  void roleChangesApplyOnTheNextRequestWithTheSameToken() {
    String id = client.createUser(admin, "promoted@rbac.test", "promoted-password");
    String token = client.token("promoted@rbac.test", "promoted-password");
    assertThat(client.admin("GET", "/api/v1/users", token, null).status()).isEqualTo(403);

    // A role granted after the token was issued counts on the next request.
    assertThat(client.admin("POST", "/api/v1/users/" + id + "/roles", admin, new JsonObject().put("roles", new JsonArray().add("viewer"))).status()).isEqualTo(200);
    Eventually.until("viewer role seen", Duration.ofSeconds(2), () -> client.admin("GET", "/api/v1/users", token, null).status() == 200);

    // A permission granted to that role counts too, and taking it away again as well.
    client.admin("POST", "/api/v1/roles", admin, new JsonObject().put("id", "auditors").put("permissions", new JsonArray().add("audit.log.read")));
    assertThat(client.admin("POST", "/api/v1/roles/viewer/permissions", admin, new JsonObject().put("permissions", new JsonArray().add("identity.users.write"))).status()).isEqualTo(200);
    Eventually.until("permission seen", Duration.ofSeconds(2), () -> client.admin("POST", "/api/v1/users", token,
      new JsonObject().put("email", "made-by-viewer@rbac.test").put("password", "made-password-1")).status() == 201);
    assertThat(client.admin("DELETE", "/api/v1/roles/viewer/permissions", admin, new JsonObject().put("permissions", new JsonArray().add("identity.users.write"))).status()).isEqualTo(200);
    Eventually.until("permission gone", Duration.ofSeconds(2), () -> client.admin("POST", "/api/v1/users", token,
      new JsonObject().put("email", "again-by-viewer@rbac.test").put("password", "made-password-1")).status() == 403);

    // Removing the role takes its permissions away.
    assertThat(client.admin("DELETE", "/api/v1/users/" + id + "/roles", admin, new JsonObject().put("roles", new JsonArray().add("viewer"))).status()).isEqualTo(200);
    Eventually.until("role gone", Duration.ofSeconds(2), () -> client.admin("GET", "/api/v1/users", token, null).status() == 403);
  }

  @Test
  void disablingAUserLocksOutTheirCurrentAccessToken() {
    String id = client.createUser(admin, "locked@rbac.test", "locked-password", "viewer");
    String token = client.token("locked@rbac.test", "locked-password");
    assertThat(client.admin("GET", "/api/v1/users", token, null).status()).isEqualTo(200);
    client.admin("PUT", "/api/v1/users/" + id, admin, new JsonObject().put("email", "locked@rbac.test").put("status", "disabled"));
    Eventually.until("token refused", Duration.ofSeconds(2), () -> client.admin("GET", "/api/v1/users", token, null).status() == 401);
  }

  @Test
  void rolesAreValidatedAndBuiltInsAreProtected() {
    IdentityClient.Reply created = client.admin("POST", "/api/v1/roles", admin,
      new JsonObject().put("id", "orders-team").put("description", "Orders").put("permissions", new JsonArray().add("orders.items.read")));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().getJsonArray("permissions")).containsExactly("orders.items.read");
    assertThat(created.json().getBoolean("builtIn")).isFalse();
    assertThat(client.admin("POST", "/api/v1/roles", admin, new JsonObject().put("id", "orders-team")).status()).isEqualTo(409);
    assertThat(client.admin("POST", "/api/v1/roles", admin, new JsonObject().put("id", "Bad Role")).status()).isEqualTo(400);
    assertThat(client.admin("POST", "/api/v1/roles", admin, new JsonObject().put("id", "bad-perm").put("permissions", new JsonArray().add("not-a-permission"))).status()).isEqualTo(400);
    assertThat(client.admin("GET", "/api/v1/permissions?limit=200", admin, null).json().getJsonArray("items").encode()).contains("orders.items.read");

    IdentityClient.Reply updated = client.admin("PUT", "/api/v1/roles/orders-team", admin,
      new JsonObject().put("description", "Orders people").put("permissions", new JsonArray().add("orders.items.write")), created.header("ETag"));
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.json().getJsonArray("permissions")).containsExactly("orders.items.write");
    assertThat(client.admin("PUT", "/api/v1/roles/orders-team", admin,
      new JsonObject().put("permissions", new JsonArray()), created.header("ETag")).status()).isEqualTo(412);
    assertThat(client.admin("DELETE", "/api/v1/roles/orders-team", admin, null).status()).isEqualTo(204);
    assertThat(client.admin("GET", "/api/v1/roles/orders-team", admin, null).status()).isEqualTo(404);

    assertThat(client.admin("DELETE", "/api/v1/roles/admin", admin, null).status()).isEqualTo(409);
    assertThat(client.admin("DELETE", "/api/v1/roles/viewer", admin, null).status()).isEqualTo(409);
    IdentityClient.Reply strip = client.admin("DELETE", "/api/v1/roles/admin/permissions", admin,
      new JsonObject().put("permissions", new JsonArray().add("identity.roles.write")));
    assertThat(strip.status()).isEqualTo(409);
  }

  @Test
  void theLastAdminKeepsTheAdminRole() {
    client.admin("POST", "/api/v1/roles", admin, new JsonObject().put("id", "role-managers")
      .put("permissions", new JsonArray().add("identity.roles.write").add("identity.users.read")));
    client.createUser(admin, "manager@rbac.test", "manager-password", "role-managers");
    String manager = client.token("manager@rbac.test", "manager-password");
    String first = client.admin("GET", "/api/v1/users/me", admin, null).json().getString("id");
    IdentityClient.Reply last = client.admin("DELETE", "/api/v1/users/" + first + "/roles", manager, new JsonObject().put("roles", new JsonArray().add("admin")));
    assertThat(last.status()).isEqualTo(409);
    assertThat(last.json().getString("message")).contains("last active admin");
    // With a second admin, the role can go.
    String other = client.createUser(admin, "second-admin@rbac.test", "second-admin-pw", "admin");
    assertThat(client.admin("DELETE", "/api/v1/users/" + other + "/roles", manager, new JsonObject().put("roles", new JsonArray().add("admin"))).status()).isEqualTo(200);
  }
}
