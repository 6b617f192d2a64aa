package io.junction.identity;

import io.junction.testkit.JunctionTestKit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** /api/v1/users against a real Junction and Postgres: create, list, read, change, delete, passwords. */
class UsersApiTest {
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
  void createReturnsTheUserWithLocationAndETagAndNeverTheHash() {
    IdentityClient.Reply r = client.admin("POST", "/api/v1/users", admin,
      new JsonObject().put("email", "Carol@Example.com").put("password", "carol-password-1").put("roles", new JsonArray().add("viewer")));
    assertThat(r.status()).isEqualTo(201);
    JsonObject user = r.json();
    assertThat(user.getString("email")).isEqualTo("Carol@Example.com");
    assertThat(user.getString("status")).isEqualTo("active");
    assertThat(user.getJsonArray("roles")).containsExactly("viewer");
    assertThat(user.getLong("version")).isPositive();
    assertThat(user.fieldNames()).doesNotContain("password", "passwordHash");
    assertThat(r.header("Location")).isEqualTo("/api/v1/users/" + user.getString("id"));
    assertThat(r.header("ETag")).isEqualTo("\"" + user.getLong("version") + "\"");
    IdentityClient.Reply got = client.admin("GET", "/api/v1/users/" + user.getString("id"), admin, null);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.json()).isEqualTo(user);
    assertThat(client.token("carol@example.com", "carol-password-1")).as("email is case-insensitive for login").isNotBlank();
  }

  @Test
  void emailsAreUniqueCaseInsensitively() {
    client.createUser(admin, "dup@junction.test", "dup-password-12");
    IdentityClient.Reply again = client.admin("POST", "/api/v1/users", admin, new JsonObject().put("email", "DUP@junction.test").put("password", "dup-password-12"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.error()).isEqualTo("conflict");
  }

  @Test
  void passwordPolicyIsA400NamingTheField() {
    IdentityClient.Reply shortOne = client.admin("POST", "/api/v1/users", admin, new JsonObject().put("email", "p1@junction.test").put("password", "short"));
    assertThat(shortOne.status()).isEqualTo(400);
    assertThat(shortOne.json().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("password");
    assertThat(shortOne.json().getString("message")).contains("at least 12");
    IdentityClient.Reply email = client.admin("POST", "/api/v1/users", admin, new JsonObject().put("email", "p2-long-address@junction.test").put("password", "p2-long-address@junction.test"));
    assertThat(email.status()).isEqualTo(400);
    assertThat(email.json().getString("message")).contains("email");
  }

  @Test
  void badInputIsA400NamingTheField() {
    assertThat(client.admin("POST", "/api/v1/users", admin, new JsonObject().put("email", "not-an-email").put("password", "long-enough-pass")).status()).isEqualTo(400);
    assertThat(client.admin("POST", "/api/v1/users", admin, new JsonObject().put("email", "x".repeat(250) + "@a.io").put("password", "long-enough-pass")).status()).isEqualTo(400);
    IdentityClient.Reply unknown = client.admin("POST", "/api/v1/users", admin, new JsonObject().put("email", "u@junction.test").put("password", "long-enough-pass").put("admin", true));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body()).contains("admin");
    assertThat(client.admin("POST", "/api/v1/users", admin, new JsonObject().put("email", 42).put("password", "long-enough-pass")).status()).isEqualTo(400);
    assertThat(client.admin("POST", "/api/v1/users", admin, new JsonObject().put("email", "r@junction.test").put("password", "long-enough-pass").put("roles", new JsonArray().add("no-such-role"))).status()).isEqualTo(400);
    assertThat(client.admin("GET", "/api/v1/users/not-a-uuid", admin, null).status()).isIn(400, 404);
    assertThat(client.admin("GET", "/api/v1/users/00000000-0000-0000-0000-000000000000", admin, null).status()).isEqualTo(404);
    assertThat(client.admin("GET", "/api/v1/users?limit=0", admin, null).status()).isEqualTo(400);
    assertThat(client.admin("GET", "/api/v1/users?cursor=%25%25%25", admin, null).status()).isEqualTo(400);
  }

  @Test
  void listFiltersByEmailAndStatusAndPagesWithACursor() {
    for (int i = 0; i < 5; i++) {
      client.createUser(admin, "page" + i + "@list.test", "page-password-" + i);
    }
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      IdentityClient.Reply page = client.admin("GET", "/api/v1/users?email=%40list.test&limit=2" + (cursor == null ? "" : "&cursor=" + cursor), admin, null);
      assertThat(page.status()).isEqualTo(200);
      JsonArray items = page.json().getJsonArray("items");
      assertThat(items.size()).isLessThanOrEqualTo(2);
      items.forEach(u -> assertThat(seen.add(((JsonObject) u).getString("email"))).as("no duplicates across pages").isTrue());
      cursor = page.json().getString("nextCursor");
      pages++;
    } while (cursor != null && pages < 10);
    assertThat(seen).hasSize(5).allMatch(e -> e.endsWith("@list.test"));
    assertThat(pages).isEqualTo(3);
    IdentityClient.Reply disabled = client.admin("GET", "/api/v1/users?status=disabled", admin, null);
    assertThat(disabled.json().getJsonArray("items")).allMatch(u -> ((JsonObject) u).getString("status").equals("disabled"));
  }

  @Test
  void updatesNeedAMatchingIfMatchWhenOneIsSent() {
    String id = client.createUser(admin, "versioned@junction.test", "versioned-password");
    IdentityClient.Reply stale = client.admin("PUT", "/api/v1/users/" + id, admin,
      new JsonObject().put("email", "versioned2@junction.test").put("status", "active"), "\"7\"");
    assertThat(stale.status()).isEqualTo(412);
    IdentityClient.Reply ok = client.admin("PUT", "/api/v1/users/" + id, admin,
      new JsonObject().put("email", "versioned2@junction.test").put("status", "active"), "\"1\"");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().getLong("version")).isEqualTo(2);
    assertThat(ok.header("ETag")).isEqualTo("\"2\"");
    assertThat(client.admin("PUT", "/api/v1/users/" + id, admin,
      new JsonObject().put("email", "versioned2@junction.test").put("status", "active"), "nonsense").status()).isEqualTo(400);
  }

  @Test
  void deleteIsSoftAndTheLastAdminCannotGo() {
    String id = client.createUser(admin, "gone@junction.test", "gone-password-12");
    assertThat(client.admin("DELETE", "/api/v1/users/" + id, admin, null).status()).isEqualTo(204);
    assertThat(client.admin("GET", "/api/v1/users/" + id, admin, null).status()).isEqualTo(404);
    assertThat(client.login("gone@junction.test", "gone-password-12").status()).isEqualTo(401);
    assertThat(client.admin("GET", "/api/v1/users?status=deleted", admin, null).json().getJsonArray("items").encode()).contains(id);
    // The email is free again.
    client.createUser(admin, "gone@junction.test", "gone-password-12");

    String me = client.admin("GET", "/api/v1/users/me", admin, null).json().getString("id");
    IdentityClient.Reply last = client.admin("DELETE", "/api/v1/users/" + me, admin, null);
    assertThat(last.status()).isEqualTo(409);
    assertThat(last.json().getString("message")).contains("last active admin");
    IdentityClient.Reply disable = client.admin("PUT", "/api/v1/users/" + me, admin, new JsonObject().put("email", JunctionTestKit.ADMIN_EMAIL).put("status", "disabled"));
    assertThat(disable.status()).isEqualTo(409);
  }

  @Test
  void passwordChangesNeedTheOldPasswordForYourselfButNotForAnAdminResettingSomeoneElse() {
    String id = client.createUser(admin, "pw@junction.test", "first-password-1");
    String own = client.token("pw@junction.test", "first-password-1");
    assertThat(client.admin("POST", "/api/v1/users/me/password", own, new JsonObject().put("oldPassword", "wrong-password-1").put("newPassword", "second-password-2")).status()).isEqualTo(400);
    assertThat(client.admin("POST", "/api/v1/users/me/password", own, new JsonObject().put("oldPassword", "first-password-1").put("newPassword", "second-password-2")).status()).isEqualTo(204);
    assertThat(client.login("pw@junction.test", "first-password-1").status()).isEqualTo(401);
    assertThat(client.login("pw@junction.test", "second-password-2").status()).isEqualTo(200);
    assertThat(client.admin("POST", "/api/v1/users/" + id + "/password", admin, new JsonObject().put("newPassword", "third-password-3")).status()).isEqualTo(204);
    assertThat(client.login("pw@junction.test", "third-password-3").status()).isEqualTo(200);
    assertThat(client.admin("POST", "/api/v1/users/" + id + "/password", admin, new JsonObject().put("newPassword", "short")).status()).isEqualTo(400);
  }
}
