package io.junction.gateway.auth;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestTokens;
import io.junction.testkit.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.junction.gateway.auth.AuthCalls.bearer;
import static io.junction.gateway.auth.AuthCalls.error;
import static io.junction.gateway.auth.AuthCalls.invalidToken;
import static io.junction.gateway.auth.AuthCalls.upstreamHeaders;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * JwtAuth with an external issuer: a real local HTTP server plays the IdP's JWKS endpoint (its keys can be
 * rotated and it can fail), Junction fetches and caches the keys.
 */
class ExternalIssuerE2ETest {
  static final String ISSUER = "https://idp.example/realms/shop";
  static Vertx idpVertx;
  static HttpServer idp;
  static final AtomicReference<JsonObject> served = new AtomicReference<>();
  static final AtomicInteger fetches = new AtomicInteger();
  static volatile int failWith;
  static TestTokens.Key first;
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    first = TestTokens.ec("idp-1");
    served.set(TestTokens.jwks(first));
    idpVertx = Vertx.vertx();
    idp = idpVertx.createHttpServer().requestHandler(req -> {
      fetches.incrementAndGet();
      if (failWith > 0) {
        req.response().setStatusCode(failWith).end("down");
      } else {
        req.response().putHeader("Content-Type", "application/json").end(served.get().encode());
      }
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    upstream = new TestUpstream("ext");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: external
            uri: %1$s
            predicates: [ "Path=/ext/**" ]
            filters:
              - name: JwtAuth
                args:
                  jwksUri: http://127.0.0.1:%2$d/realms/shop/certs
                  issuer: %3$s
                  audience: orders-api
                  clockSkew: 10s
                  rolesClaim: realm_access.roles
              - RequireRoles=buyer
              - JwtClaimHeader=sub, X-User-Id
          - id: external-roles
            uri: %1$s
            predicates: [ "Path=/ext-perm/**" ]
            filters:
              - name: JwtAuth
                args: { jwksUri: "http://127.0.0.1:%2$d/realms/shop/certs", issuer: "%3$s", audience: orders-api }
              - RequirePermissions=orders.read
      """.formatted(upstream.url(), idp.actualPort(), ISSUER)).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
    idpVertx.close().await(10, TimeUnit.SECONDS);
  }

  static JsonObject claims(String sub, String... roles) {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("iss", ISSUER).put("aud", new JsonArray().add("orders-api").add("account")).put("sub", sub)
      .put("iat", now).put("exp", now + 300).put("realm_access", new JsonObject().put("roles", new JsonArray(java.util.List.of((Object[]) roles))))
      .put("permissions", new JsonArray().add("orders.read"));
  }

  @Test
  void tokensOfTheExternalIssuerAreCheckedAgainstItsJwks() {
    JsonObject headers = upstreamHeaders(bearer(kit, "/ext/echo", first.token(claims("ext-user", "buyer"))));
    assertThat(headers.getString("x-user-id")).isEqualTo("ext-user");
    assertThat(bearer(kit, "/ext-perm/echo", first.token(claims("ext-user"))).statusCode()).as("permissions claim").isEqualTo(200);
    error(bearer(kit, "/ext/echo", first.token(claims("ext-user", "seller"))), 403, "forbidden");
    invalidToken(bearer(kit, "/ext/echo", first.token(claims("u", "buyer").put("iss", "https://other.example"))), "token_issuer");
    invalidToken(bearer(kit, "/ext/echo", first.token(claims("u", "buyer").put("aud", "billing"))), "token_audience");
    invalidToken(bearer(kit, "/ext/echo", first.token(claims("u", "buyer").put("exp", System.currentTimeMillis() / 1000 - 30))), "token_expired");
    invalidToken(bearer(kit, "/ext/echo", TestTokens.unsigned(claims("u", "buyer"))), "token_algorithm");
    invalidToken(bearer(kit, "/ext/echo", TestTokens.ec("idp-1").token(claims("u", "buyer"))), "token_signature");
  }

  @Test
  void rotationRefetchesOnAnUnknownKidAtMostEvery30SecondsAndAFailingIdpKeepsTheLastKeys() {
    String before = first.token(claims("rot", "buyer"));
    assertThat(bearer(kit, "/ext/echo", before).statusCode()).isEqualTo(200);

    TestTokens.Key second = TestTokens.rsa("idp-2");
    served.set(TestTokens.jwks(first, second));
    int fetched = fetches.get();
    assertThat(bearer(kit, "/ext/echo", second.token(claims("rot", "buyer"))).statusCode()).as("unknown kid → refetch").isEqualTo(200);
    assertThat(fetches.get()).isEqualTo(fetched + 1);

    TestTokens.Key third = TestTokens.rsa("idp-3");
    served.set(TestTokens.jwks(second, third));
    invalidToken(bearer(kit, "/ext/echo", third.token(claims("rot", "buyer"))), "token_unknown_key");
    assertThat(fetches.get()).as("no second refetch within 30 s").isEqualTo(fetched + 1);

    failWith = 500;
    try {
      assertThat(bearer(kit, "/ext/echo", second.token(claims("rot", "buyer"))).statusCode()).as("last good keys").isEqualTo(200);
      assertThat(bearer(kit, "/ext/echo", before).statusCode()).isEqualTo(200);
    } finally {
      failWith = 0;
    }
  }
}
