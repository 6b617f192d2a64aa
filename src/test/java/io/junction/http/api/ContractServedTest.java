package io.junction.http.api;

import io.junction.testkit.ContractClient;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole Junction (test kit): the contract is served and parses with the library, the admin API is routed
 * from it (auth before anything), and platform paths win over a gateway route.
 */
class ContractServedTest {
  static TestUpstream upstream;
  static JunctionTestKit kit;
  static ContractClient client;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream();
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: everything-under-auth
            uri: %s
            predicates: [ "Path=/auth/**" ]
      """.formatted(upstream.url())).start();
    client = ContractClient.admin(kit);
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    kit.close();
    upstream.close();
  }

  @Test
  void yamlIsServedAsWritten() throws Exception {
    ContractClient.Response r = client.get("/api/v1/openapi.yaml").send();
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/yaml");
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(Contracts.ADMIN)) {
      assertThat(r.text()).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void jsonIsServedAndIsAValidContract() {
    ContractClient.Response r = client.get("/api/v1/openapi.json").send();
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    JsonObject doc = r.json();
    assertThat(doc.getString("openapi")).isEqualTo("3.1.0");
    Vertx vertx = Vertx.vertx();
    try {
      // as Junction hands it to the library: without the request media types the library cannot parse (YAML, merge patch)
      OpenAPIContract parsed = OpenAPIContract.from(vertx, Contracts.forLibrary(doc)).await();
      assertThat(parsed.operation("createUser").getExtensions()).containsEntry("x-permission", "identity.users.write");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void protectedOperationsAskForATokenFirst() {
    ContractClient.Response r = client.get("/api/v1/users?bogus=1").send();
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
  }

  @Test
  void unknownPathsAndMethodsAreJson() {
    assertThat(client.get("/api/v1/nope").send().status()).isEqualTo(404);
    ContractClient.Response wrong = client.request(io.vertx.core.http.HttpMethod.PATCH, "/api/v1/users").send();
    assertThat(wrong.status()).isEqualTo(405);
    assertThat(wrong.header("Allow")).isEqualTo("GET, POST");
    assertThat(kit.admin("/health/live").statusCode()).isEqualTo(200);
    assertThat(kit.admin("/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void platformPathsWinOverGatewayRoutes() {
    int before = upstream.requests();
    HttpResponse<String> login = JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri("/auth/login"))
      .header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"a@example.com\",\"password\":\"x\"}")).build());
    // The identity module answers (no such user), not the upstream behind the /auth/** gateway route.
    assertThat(login.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(login.body()).getString("error")).isEqualTo("invalid_credentials");
    HttpResponse<String> invalid = JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri("/auth/login"))
      .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"email\":1}")).build());
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(upstream.requests()).isEqualTo(before);
    assertThat(kit.get("/auth/other").statusCode()).isEqualTo(200);
    assertThat(upstream.requests()).isEqualTo(before + 1);
    assertThat(kit.get("/.well-known/jwks.json").statusCode()).isEqualTo(200);
  }
}
