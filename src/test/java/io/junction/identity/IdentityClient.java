package io.junction.identity;

import io.junction.testkit.JunctionTestKit;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Calls a test Junction's /auth endpoints and admin API as a script or a browser would. */
final class IdentityClient {
  record Reply(int status, HttpResponse<String> raw) {
    JsonObject json() {
      return raw.body() == null || raw.body().isEmpty() ? null : new JsonObject(raw.body());
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    String error() {
      return json().getString("error");
    }
  }

  private final JunctionTestKit kit;

  IdentityClient(JunctionTestKit kit) {
    this.kit = kit;
  }

  Reply publicCall(String method, String path, Object body) {
    return send(method, kit.publicUri(path), null, body, null);
  }

  Reply admin(String method, String path, String token, Object body) {
    return send(method, kit.adminUri(path), token, body, null);
  }

  Reply admin(String method, String path, String token, Object body, String ifMatch) {
    return send(method, kit.adminUri(path), token, body, ifMatch);
  }

  Reply login(String email, String password) {
    return publicCall("POST", "/auth/login", new JsonObject().put("email", email).put("password", password));
  }

  /** An access token of a successful login (fails the test otherwise). */
  String token(String email, String password) {
    Reply r = login(email, password);
    if (r.status() != 200) {
      throw new AssertionError("login of " + email + " answered " + r.status() + " " + r.raw().body());
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
      throw new AssertionError("creating " + email + " answered " + r.status() + " " + r.raw().body());
    }
    return r.json().getString("id");
  }

  private static Reply send(String method, URI uri, String token, Object body, String ifMatch) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (ifMatch != null) {
      b.header("If-Match", ifMatch);
    }
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(body instanceof JsonObject j ? j.encode() : body.toString()));
    }
    HttpResponse<String> response = JunctionTestKit.send(b.build());
    return new Reply(response.statusCode(), response);
  }
}
