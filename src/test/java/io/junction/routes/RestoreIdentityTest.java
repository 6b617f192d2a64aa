package io.junction.routes;

import io.junction.testkit.ContractClient;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import static io.junction.routes.RoutesApiTest.route;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restore is one transaction over routes, services, permissions, roles and users: a fault in the identity part
 * (checked, or refused by the database itself) leaves everything as it was, routes included; backup → wipe →
 * restore gives the same routes, services, roles, permissions and users; absent roles go and absent users are
 * deleted; the dry run shows the identity differences and changes nothing.
 */
class RestoreIdentityTest extends AlphaJunction {
  private static String query(String sql) throws Exception {
    return RoutesApiTest.queryOn(kit, sql);
  }

  private static void execute(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(TestPostgres.jdbcUrl(kit.databaseUrl())); Statement st = c.createStatement()) {
      st.executeUpdate(sql);
    }
  }

  /** Everything a restore may change, as the database holds it. */
  private static String state() throws Exception {
    return query("SELECT concat_ws(' | ',"
      + " (SELECT string_agg(id || '=' || definition::text || '@' || version, ',' ORDER BY id) FROM routes),"
      + " (SELECT string_agg(id || '=' || definition::text, ',' ORDER BY id) FROM services),"
      + " (SELECT string_agg(id || ':' || coalesce(description, ''), ',' ORDER BY id) FROM permissions),"
      + " (SELECT string_agg(r.id || ':' || coalesce(r.description, '') || '[' || array_to_string(ARRAY(SELECT permission_id FROM role_permissions p"
      + "    WHERE p.role_id = r.id ORDER BY 1), ',') || ']', ',' ORDER BY r.id) FROM roles r),"
      + " (SELECT string_agg(u.id || ':' || u.email || ':' || u.status || ':' || u.version || '[' || array_to_string(ARRAY(SELECT role_id FROM user_roles ur"
      + "    WHERE ur.user_id = u.id ORDER BY 1), ',') || ']', ',' ORDER BY u.id) FROM users u),"
      + " (SELECT count(*) FROM route_revisions), (SELECT count(*) FROM outbox))");
  }

  private static JsonObject backup() {
    ContractClient.Response r = client.call("GET", "/api/v1/backup", null);
    assertThat(r.status()).isEqualTo(200);
    return r.json();
  }

  private static JsonObject sealed(JsonObject document) {
    return document.put("checksum", Backups.checksum(document));
  }

  private static JsonObject userNamed(JsonObject identity, String email) {
    return identity.getJsonArray("users").stream().map(JsonObject.class::cast).filter(u -> u.getString("email").equals(email)).findFirst().orElseThrow();
  }

  @Test
  void aFaultInTheIdentityPartChangesNothingRoutesIncluded() throws Exception {
    client.create(route("fault-a", alpha.url(), "/fault-a/**"));
    JsonObject document = backup();
    // the backup also changes a route and removes nothing else, so a non-atomic restore would leave traces
    document.getJsonArray("routes").stream().map(JsonObject.class::cast).filter(r -> r.getString("id").equals("fault-a"))
      .forEach(r -> r.put("order", 42));
    document.getJsonArray("routes").add(route("fault-b", alpha.url(), "/fault-b/**"));

    // 1. checked: a role granting a permission the backup does not have
    JsonObject unknownPermission = document.copy();
    unknownPermission.getJsonObject("identity").getJsonArray("roles").add(new JsonObject().put("id", "ghost").put("description", "x")
      .put("builtIn", false).put("permissions", new JsonArray().add("nowhere.things.read")));
    int ghostIndex = unknownPermission.getJsonObject("identity").getJsonArray("roles").size() - 1;
    String before = state();
    ContractClient.Response refused = client.call("POST", "/api/v1/restore", sealed(unknownPermission));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("identity.roles[" + ghostIndex + "].permissions");
    assertThat(refused.json().getString("message")).contains("nowhere.things.read");
    assertThat(state()).isEqualTo(before);

    // 2. refused by the database: two restored users whose emails differ only in case break the unique email index
    JsonObject clash = document.copy();
    JsonArray users = clash.getJsonObject("identity").getJsonArray("users");
    users.add(new JsonObject().put("id", "5b0c7f0e-7c3e-4a53-9d76-0000000000a1").put("email", "Twin@example.com").put("status", "active").put("roles", new JsonArray()));
    users.add(new JsonObject().put("id", "5b0c7f0e-7c3e-4a53-9d76-0000000000a2").put("email", "twin@example.com").put("status", "active").put("roles", new JsonArray()));
    ContractClient.Response constraint = client.call("POST", "/api/v1/restore", sealed(clash));
    assertThat(constraint.status()).isEqualTo(400);
    assertThat(constraint.json().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("identity");
    assertThat(constraint.json().getString("message")).contains("users_email");
    assertThat(state()).isEqualTo(before);

    // 3. a user holding a role nobody defines, and a restore without any admin
    JsonObject noAdmin = document.copy();
    noAdmin.getJsonObject("identity").getJsonArray("users").forEach(u -> ((JsonObject) u).put("roles", new JsonArray().add("no-such-role")));
    ContractClient.Response locked = client.call("POST", "/api/v1/restore", sealed(noAdmin));
    assertThat(locked.status()).isEqualTo(400);
    List<String> fields = locked.json().getJsonArray("details").stream().map(d -> ((JsonObject) d).getString("field")).toList();
    assertThat(fields).contains("identity.users[0].roles", "identity.users");
    assertThat(state()).isEqualTo(before);

    // 4. a bad shape in the identity part is refused before anything runs, each field named
    JsonObject shape = document.copy();
    shape.getJsonObject("identity").getJsonArray("users").getJsonObject(0).put("email", "not-an-email");
    ContractClient.Response badShape = client.call("POST", "/api/v1/restore", sealed(shape));
    assertThat(badShape.status()).isEqualTo(400);
    assertThat(badShape.json().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("identity.users[0].email");
    assertThat(state()).isEqualTo(before);

    // the same backup without the fault goes through, routes and all
    ContractClient.Response ok = client.call("POST", "/api/v1/restore", sealed(document.copy()));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(query("SELECT definition->>'order' FROM routes WHERE id = 'fault-a'")).isEqualTo("42");
    assertThat(query("SELECT count(*) FROM routes WHERE id = 'fault-b'")).isEqualTo("1");
  }

  @Test
  void backupWipeRestoreGivesIdenticalRoutesServicesRolesAndUsers() throws Exception {
    assertThat(client.call("POST", "/api/v1/services", new JsonObject().put("id", "wipe-svc").put("instances", new JsonArray().add(alpha.url()))).status())
      .isEqualTo(201);
    client.create(route("wipe-r", "lb://wipe-svc", "/wipe/**"));
    assertThat(client.call("POST", "/api/v1/roles", new JsonObject().put("id", "wipe-editor").put("description", "edits routes")
      .put("permissions", new JsonArray().add("gateway.routes.write").add("custom.reports.read"))).status()).isEqualTo(201);
    ContractClient.Response user = client.call("POST", "/api/v1/users", new JsonObject().put("email", "wipe-user@example.com")
      .put("password", "a long enough password 1").put("roles", new JsonArray().add("wipe-editor")));
    assertThat(user.status()).isEqualTo(201);
    String userId = user.json().getString("id");

    JsonObject document = backup();
    JsonObject identityBefore = document.getJsonObject("identity");
    String routesBefore = query("SELECT string_agg(definition::text, ',' ORDER BY id) FROM routes");
    String servicesBefore = query("SELECT string_agg(id || definition::text, ',' ORDER BY id) FROM services");

    // Wipe: routes and services through the API, identity in the database (all but the admin who restores).
    JsonArray wipe = new JsonArray();
    client.call("GET", "/api/v1/routes?source=api&limit=200", null).json().getJsonArray("items").forEach(i -> wipe.add(new JsonObject()
      .put("op", "delete").put("id", ((JsonObject) i).getString("id")).put("version", ((JsonObject) i).getLong("version"))));
    assertThat(client.call("POST", "/api/v1/routes/_batch", new JsonObject().put("changes", wipe)).status()).isEqualTo(200);
    assertThat(client.call("DELETE", "/api/v1/services/wipe-svc", null, "\"1\"").status()).isEqualTo(204);
    execute("DELETE FROM users WHERE lower(email) <> lower('" + JunctionTestKit.ADMIN_EMAIL + "')");
    execute("DELETE FROM roles WHERE NOT built_in");
    execute("DELETE FROM permissions WHERE NOT built_in");
    // and something the backup does not have, which the restore removes
    assertThat(client.call("POST", "/api/v1/roles", new JsonObject().put("id", "stray").put("permissions", new JsonArray().add("stray.things.read")))
      .status()).isEqualTo(201);
    ContractClient.Response strayUser = client.call("POST", "/api/v1/users", new JsonObject().put("email", "stray@example.com")
      .put("password", "a long enough password 2"));
    assertThat(strayUser.status()).isEqualTo(201);
    String strayId = strayUser.json().getString("id");

    String wiped = state();
    ContractClient.Response dry = client.call("POST", "/api/v1/restore?dryRun=true", document);
    assertThat(dry.status()).isEqualTo(200);
    assertThat(state()).isEqualTo(wiped);
    JsonArray identityDiff = dry.json().getJsonArray("identity");
    assertThat(identityDiff.stream().map(JsonObject.class::cast).map(d -> d.getString("kind") + ":" + d.getString("id") + ":" + d.getString("change")).toList())
      .contains("role:stray:removed", "permission:stray.things.read:removed", "user:" + strayId + ":removed", "role:wipe-editor:added",
        "permission:custom.reports.read:added", "user:" + userId + ":added");
    JsonObject added = identityDiff.stream().map(JsonObject.class::cast).filter(d -> d.getString("id").equals(userId)).findFirst().orElseThrow();
    assertThat(added.getJsonObject("after").getBoolean("passwordResetNeeded")).isTrue();

    ContractClient.Response restored = client.call("POST", "/api/v1/restore", document);
    assertThat(restored.status()).isEqualTo(200);
    assertThat(restored.json().getBoolean("identityRestored")).isTrue();
    assertThat(query("SELECT string_agg(definition::text, ',' ORDER BY id) FROM routes")).isEqualTo(routesBefore);
    assertThat(query("SELECT string_agg(id || definition::text, ',' ORDER BY id) FROM services")).isEqualTo(servicesBefore);

    JsonObject identityAfter = backup().getJsonObject("identity");
    assertThat(identityAfter.getJsonArray("roles")).isEqualTo(identityBefore.getJsonArray("roles"));
    assertThat(identityAfter.getJsonArray("permissions")).isEqualTo(identityBefore.getJsonArray("permissions"));
    // the stray user is deleted (kept as a deleted row, like DELETE /api/v1/users/{id}); every other user is as backed up
    JsonArray liveUsers = new JsonArray();
    identityAfter.getJsonArray("users").stream().map(JsonObject.class::cast).filter(u -> !u.getString("id").equals(strayId)).forEach(liveUsers::add);
    assertThat(liveUsers).isEqualTo(identityBefore.getJsonArray("users"));
    assertThat(userNamed(identityAfter, "stray@example.com").getString("status")).isEqualTo("deleted");
    // backups carry no secrets: the restored user cannot log in until an administrator sets a password
    assertThat(query("SELECT password_hash IS NULL FROM users WHERE id = '" + userId + "'")).isEqualTo("t");
    ContractClient.Response login = ContractClient.platform(kit).post("/auth/login")
      .json(new JsonObject().put("email", "wipe-user@example.com").put("password", "a long enough password 1")).send();
    assertThat(login.status()).isEqualTo(401);
    // the identity changes' events were written with the restore
    assertThat(query("SELECT count(*) FROM outbox WHERE envelope->>'type' = 'role.deleted' AND envelope->>'subject' = 'stray'")).isEqualTo("1");
    assertThat(query("SELECT count(*) FROM outbox WHERE envelope->>'type' = 'user.deleted' AND envelope->>'subject' = '" + strayId + "'")).isEqualTo("1");
    assertThat(query("SELECT count(*) FROM outbox WHERE envelope->>'type' = 'user.created' AND envelope->>'subject' = '" + userId + "'")).isEqualTo("2");
  }
}
