package io.junction.identity;

import io.junction.testkit.JunctionTestKit;
import io.vertx.core.json.JsonObject;

import io.junction.testkit.ContractClient;
import io.vertx.core.http.HttpMethod;

/** Calls a test Junction's /auth endpoints and admin API as a script or a browser would. */
final class IdentityClient {
  record Reply(int status, ContractClient.Response raw) {
    JsonObject json() {
      return raw.body() == null || raw.body().length() == 0 ? null : new JsonObject(raw.body());
    }

    String header(String name) {
      return raw.header(name);
    }

    String body() {
      return raw.text();
    }

    String error() {
      return json().getString("error");
    }
  }

  private final ContractClient platform;
  private final ContractClient admin;

  /** Every answer is checked against the contracts (openapi/junction-auth.yaml and junction-admin.yaml). */
  IdentityClient(JunctionTestKit kit) {
    this.platform = ContractClient.platform(kit);
    this.admin = ContractClient.admin(kit);
  }

  Reply publicCall(String method, String path, Object body) {
    return send(platform, method, path, null, body, null);
  }

  Reply admin(String method, String path, String token, Object body) {
    return send(admin, method, path, token, body, null);
  }

  Reply admin(String method, String path, String token, Object body, String ifMatch) {
    return send(admin, method, path, token, body, ifMatch);
  }

  Reply login(String email, String password) {
    return publicCall("POST", "/auth/login", new JsonObject().put("email", email).put("password", password));
  }

  /** An access token of a successful login (fails the test otherwise). */
  String token(String email, String password) {
    Reply r = login(email, password);
    if (r.status() != 200) {
      throw new AssertionError("login of " + email + " answered " + r.status() + " " + r.body());
    }
    return r.json().getString("accessToken");
  }

  String adminToken() {
    return token(JunctionTestKit.ADMIN_EMAIL, JunctionTestKit.ADMIN_PASSWORD);
  }

  /** Creates a user with these roles through the API and returns its id. */
  String createUser(String adminToken, String email, String password, String... roles) {
    JsonObject body = new JsonObject().put("email", email).put("password", password);
    if (roles.length > 0) {
      body.put("roles", new io.vertx.core.json.JsonArray(java.util.List.of(roles)));
    }
    Reply r = admin("POST", "/api/v1/users", adminToken, body);
    if (r.status() != 201) {
      throw new AssertionError("creating " + email + " answered " + r.status() + " " + r.body());
    }
    return r.json().getString("id");
  }

  private static Reply send(ContractClient client, String method, String path, String token, Object body, String ifMatch) {
    ContractClient.Request request = client.request(HttpMethod.valueOf(method), path);
    if (token != null) {
      request.bearer(token);
    }
    if (ifMatch != null) {
      request.header("If-Match", ifMatch);
    }
    if (body instanceof String raw) {
      request.body("application/json", raw);
    } else if (body != null) {
      request.json(body);
    }
    ContractClient.Response response = request.send();
    return new Reply(response.status(), response);
  }
}
