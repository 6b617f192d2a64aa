package io.junction.routes;

import io.junction.testkit.ContractClient;
import io.junction.testkit.JunctionTestKit;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/** The admin API as a script would call it, logged in as the bootstrap admin; every answer checked against the contract. */
final class RoutesClient {
  private final ContractClient admin;
  private final String token;

  RoutesClient(JunctionTestKit kit) {
    this.admin = ContractClient.admin(kit);
    ContractClient.Response login = ContractClient.platform(kit).post("/auth/login")
      .json(new JsonObject().put("email", JunctionTestKit.ADMIN_EMAIL).put("password", JunctionTestKit.ADMIN_PASSWORD)).send();
    if (login.status() != 200) {
      throw new AssertionError("login answered " + login.status() + " " + login.text());
    }
    this.token = login.json().getString("accessToken");
  }

  ContractClient.Response call(String method, String path, Object body) {
    return call(method, path, body, null);
  }

  ContractClient.Response call(String method, String path, Object body, String ifMatch) {
    ContractClient.Request request = admin.request(HttpMethod.valueOf(method), path).bearer(token);
    if (ifMatch != null) {
      request.header("If-Match", ifMatch);
    }
    if (body instanceof String raw) {
      request.body("application/json", raw);
    } else if (body != null) {
      request.json(body);
    }
    return request.send();
  }

  ContractClient.Response raw(String method, String path, String contentType, String body) {
    return raw(method, path, contentType, body, null);
  }

  /** A body of any media type, with an If-Match when given. */
  ContractClient.Response raw(String method, String path, String contentType, String body, String ifMatch) {
    ContractClient.Request request = admin.request(HttpMethod.valueOf(method), path).bearer(token).body(contentType, body);
    if (ifMatch != null) {
      request.header("If-Match", ifMatch);
    }
    return request.send();
  }

  /** Creates a route and returns its ETag. */
  String create(JsonObject route) {
    ContractClient.Response r = call("POST", "/api/v1/routes", route);
    if (r.status() != 201) {
      throw new AssertionError("creating " + route.getString("id") + " answered " + r.status() + " " + r.text());
    }
    return r.header("ETag");
  }
}
