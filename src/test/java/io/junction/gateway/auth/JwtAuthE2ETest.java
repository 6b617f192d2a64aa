package io.junction.gateway.auth;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestTokens;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.junction.gateway.auth.AuthCalls.bearer;
import static io.junction.gateway.auth.AuthCalls.error;
import static io.junction.gateway.auth.AuthCalls.get;
import static io.junction.gateway.auth.AuthCalls.invalidToken;
import static io.junction.gateway.auth.AuthCalls.upstreamHeaders;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * JwtAuth and the Require* filters through a running Junction with Junction's own tokens: the identity snapshot
 * is published on the instance's event bus exactly as the identity module does, with keys generated here.
 */
class JwtAuthE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;
  static TestTokens.Key key;
  static long version = System.currentTimeMillis();

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("auth");
    key = TestTokens.rsa("k1");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: jwt
            uri: %1$s
            predicates: [ "Path=/jwt/**" ]
            filters:
              - JwtAuth
              - RequirePermissions=gateway.routes.read
              - JwtClaimHeader=sub, X-User-Id
              - name: JwtClaimHeader
                args: { claim: org.tenant, header: X-Tenant }
          - id: admins
            uri: %1$s
            predicates: [ "Path=/admins/**" ]
            filters: [ JwtAuth, "RequireRoles=admin, ops" ]
          - id: both-roles
            uri: %1$s
            predicates: [ "Path=/both/**" ]
            filters:
              - JwtAuth
              - name: RequireRoles
                args: { roles: [admin, viewer], mode: all }
          - id: scoped
            uri: %1$s
            predicates: [ "Path=/scoped/**" ]
            filters: [ JwtAuth, "RequireScopes=orders:read, orders:write" ]
          - id: optional
            uri: %1$s
            predicates: [ "Path=/optional/**" ]
            filters:
              - name: JwtAuth
                args: { required: false }
              - JwtClaimHeader=sub, X-User-Id
          - id: stripped
            uri: %1$s
            predicates: [ "Path=/stripped/**" ]
            filters:
              - name: JwtAuth
                args: { stripToken: true }
          - id: limited
            uri: %1$s
            predicates: [ "Path=/limited/**" ]
            filters:
              - JwtAuth
              - name: RequestRateLimiter
                args: { replenishRate: 1, burstCapacity: 2, keyResolver: user }
          - id: unguarded
            uri: %1$s
            predicates: [ "Path=/unguarded/**" ]
            filters: [ "RequirePermissions=gateway.routes.read" ]
      """.formatted(upstream.url())).start();
    publish(snapshot());
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  static TestTokens.Snapshot snapshot() {
    return TestTokens.snapshot(++version).key(key).role("viewer", "gateway.routes.read").role("admin", "gateway.routes.read", "gateway.routes.write");
  }

  /** Publishes a snapshot and waits until the gateway answers with it (a probe token of a fresh user passes). */
  static void publish(TestTokens.Snapshot snapshot) throws InterruptedException {
    TestTokens.Snapshot probeRole = snapshot.role("probe-" + version, "gateway.routes.read");
    TestTokens.publish(kit.vertx(), probeRole.json());
    String probe = key.token(TestTokens.claims("probe", "probe-" + version));
    AuthCalls.await(() -> bearer(kit, "/jwt/echo", probe).statusCode() == 200, "snapshot " + version + " applied");
  }

  @BeforeEach
  void freshSnapshot() throws InterruptedException {
    publish(snapshot());
  }

  @Test
  void aGoodTokenReachesTheUpstreamWithItsClaimsAsHeaders() {
    String token = key.token(TestTokens.claims("user-1", "viewer").put("org", new JsonObject().put("tenant", "acme")));
    JsonObject headers = upstreamHeaders(get(kit, "/jwt/echo", "Authorization", "Bearer " + token, "X-User-Id", "forged"));
    assertThat(headers.getString("x-user-id")).isEqualTo("user-1");
    assertThat(headers.getString("x-tenant")).isEqualTo("acme");
    assertThat(headers.getString("authorization")).as("kept by default").isEqualTo("Bearer " + token);

    JsonObject noTenant = upstreamHeaders(bearer(kit, "/jwt/echo", key.token(TestTokens.claims("user-2", "viewer"))));
    assertThat(noTenant.containsKey("x-tenant")).as("missing claim: no header").isFalse();
    assertThat(upstreamHeaders(bearer(kit, "/stripped/echo", token)).containsKey("authorization")).isFalse();
  }

  @Test
  void everyBadTokenIsA401WithAJsonErrorNeverA500() {
    long now = System.currentTimeMillis() / 1000;
    JsonObject good = TestTokens.claims("mallory", "admin");
    String header = TestTokens.b64("{\"alg\":\"RS256\",\"kid\":\"k1\"}");
    invalidToken(bearer(kit, "/jwt/echo", TestTokens.unsigned(good)), "token_algorithm");
    invalidToken(bearer(kit, "/jwt/echo", TestTokens.hs256(TestTokens.publicKeyPem(key), "k1", good)), "token_algorithm");
    invalidToken(bearer(kit, "/jwt/echo", TestTokens.rsa("k1").token(good)), "token_signature");
    invalidToken(bearer(kit, "/jwt/echo", key.token(TestTokens.claims("u", "viewer").put("exp", now - 120))), "token_expired");
    invalidToken(bearer(kit, "/jwt/echo", key.token(TestTokens.claims("u", "viewer").put("nbf", now + 120))), "token_not_yet_valid");
    invalidToken(bearer(kit, "/jwt/echo", key.token(TestTokens.claims("u", "viewer").put("iss", "evil"))), "token_issuer");
    invalidToken(bearer(kit, "/jwt/echo", key.token(TestTokens.claims("u", "viewer").put("aud", "billing"))), "token_audience");
    invalidToken(bearer(kit, "/jwt/echo", TestTokens.rsa("k9").token(good)), "token_unknown_key");
    invalidToken(bearer(kit, "/jwt/echo", header + ".%%%%." + "c2ln"), "token_malformed");
    invalidToken(bearer(kit, "/jwt/echo", TestTokens.b64("{not json") + "." + TestTokens.b64(good.encode()) + ".c2ln"), "token_malformed");
    invalidToken(bearer(kit, "/jwt/echo", "a.b"), "token_malformed");
    invalidToken(bearer(kit, "/jwt/echo", key.token(TestTokens.claims("u", "viewer").put("pad", "x".repeat(9_000)))), "token_too_large");
    invalidToken(get(kit, "/jwt/echo", "Authorization", "Basic dXNlcjpwYXNz"), "token_malformed");

    HttpResponse<String> missing = get(kit, "/jwt/echo");
    error(missing, 401, "token_missing");
    assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
    assertThat(upstream.requests()).as("no refused request reached the upstream").isPositive();
  }

  @Test
  void aRefusedRequestNeverReachesTheUpstream() {
    int before = upstream.requests();
    invalidToken(bearer(kit, "/jwt/echo", TestTokens.unsigned(TestTokens.claims("m", "admin"))), "token_algorithm");
    error(bearer(kit, "/admins/echo", key.token(TestTokens.claims("u", "viewer"))), 403, "forbidden");
    assertThat(upstream.requests()).isEqualTo(before);
  }

  @Test
  void permissionsAndRolesAreEnforced() {
    JsonObject body = error(bearer(kit, "/jwt/echo", key.token(TestTokens.claims("u-none", "guest"))), 403, "forbidden");
    assertThat(body.getJsonArray("details")).containsExactly("gateway.routes.read");
    assertThat(body.getString("message")).contains("gateway.routes.read");

    assertThat(bearer(kit, "/admins/echo", key.token(TestTokens.claims("u-a", "admin"))).statusCode()).isEqualTo(200);
    assertThat(bearer(kit, "/admins/echo", key.token(TestTokens.claims("u-o", "ops"))).statusCode()).as("any of").isEqualTo(200);
    error(bearer(kit, "/admins/echo", key.token(TestTokens.claims("u-v", "viewer"))), 403, "forbidden");

    assertThat(bearer(kit, "/both/echo", key.token(TestTokens.claims("u-b", "admin", "viewer"))).statusCode()).isEqualTo(200);
    JsonObject half = error(bearer(kit, "/both/echo", key.token(TestTokens.claims("u-h", "admin"))), 403, "forbidden");
    assertThat(half.getJsonArray("details")).containsExactly("viewer");

    error(get(kit, "/unguarded/echo"), 401, "unauthorized");
  }

  @Test
  void scopesComeFromTheScopeClaim() {
    assertThat(bearer(kit, "/scoped/echo", key.token(TestTokens.claims("u", "viewer").put("scope", "orders:write orders:read profile")))
      .statusCode()).isEqualTo(200);
    assertThat(bearer(kit, "/scoped/echo", key.token(TestTokens.claims("u", "viewer").put("scp", new JsonArray().add("orders:read").add("orders:write"))))
      .statusCode()).isEqualTo(200);
    JsonObject body = error(bearer(kit, "/scoped/echo", key.token(TestTokens.claims("u", "viewer").put("scope", "orders:read"))), 403, "forbidden");
    assertThat(body.getJsonArray("details")).containsExactly("orders:write");
  }

  @Test
  void anOptionalTokenMayBeAbsentButNotBad() {
    JsonObject anonymous = upstreamHeaders(get(kit, "/optional/echo", "X-User-Id", "forged"));
    assertThat(anonymous.containsKey("x-user-id")).as("the client's own value is dropped").isFalse();
    assertThat(upstreamHeaders(bearer(kit, "/optional/echo", key.token(TestTokens.claims("u-opt")))).getString("x-user-id")).isEqualTo("u-opt");
    invalidToken(bearer(kit, "/optional/echo", TestTokens.unsigned(TestTokens.claims("m"))), "token_algorithm");
  }

  @Test
  void aRoleChangeAppliesOnTheNextRequest() throws InterruptedException {
    String token = key.token(TestTokens.claims("user-r", "auditor"));
    error(bearer(kit, "/jwt/echo", token), 403, "forbidden");
    publish(snapshot().role("auditor", "gateway.routes.read"));
    assertThat(bearer(kit, "/jwt/echo", token).statusCode()).isEqualTo(200);
    publish(snapshot().role("auditor"));
    error(bearer(kit, "/jwt/echo", token), 403, "forbidden");
  }

  @Test
  void aUserDisabledAfterTheTokenWasIssuedIsRefused() throws InterruptedException {
    String token = key.token(TestTokens.claims("user-d", "viewer"));
    assertThat(bearer(kit, "/jwt/echo", token).statusCode()).isEqualTo(200);
    publish(snapshot().user("user-d", System.currentTimeMillis() + 1000, false));
    invalidToken(bearer(kit, "/jwt/echo", token), "token_revoked");
  }

  @Test
  void theRateLimiterCountsPerSignedInUser() {
    String alice = key.token(TestTokens.claims("alice", "viewer"));
    String bob = key.token(TestTokens.claims("bob", "viewer"));
    assertThat(bearer(kit, "/limited/echo", alice).statusCode()).isEqualTo(200);
    assertThat(bearer(kit, "/limited/echo", alice).statusCode()).isEqualTo(200);
    error(bearer(kit, "/limited/echo", alice), 429, "rate_limited");
    assertThat(bearer(kit, "/limited/echo", bob).statusCode()).as("bob has his own bucket").isEqualTo(200);
    invalidToken(bearer(kit, "/limited/echo", TestTokens.unsigned(TestTokens.claims("alice"))), "token_algorithm");
  }
}
