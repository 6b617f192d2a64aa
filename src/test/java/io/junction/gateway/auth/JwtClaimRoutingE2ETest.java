package io.junction.gateway.auth;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestTokens;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.junction.gateway.auth.AuthCalls.bearer;
import static io.junction.gateway.auth.AuthCalls.get;
import static io.junction.gateway.auth.AuthCalls.upstreamHeaders;
import static org.assertj.core.api.Assertions.assertThat;

/** The JwtClaim predicate routes by the claims of a verified Junction token; unverifiable tokens never match. */
class JwtClaimRoutingE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;
  static TestTokens.Key key;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("claims");
    key = TestTokens.rsa("k1");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: acme
            uri: %1$s
            order: -2
            predicates: [ "Path=/tenant/**", "JwtClaim=tenant, acme|globex" ]
            filters: [ "AddRequestHeader=X-Route, acme" ]
          - id: admins
            uri: %1$s
            order: -1
            predicates: [ "Path=/tenant/**", "JwtClaim=roles, admin" ]
            filters: [ "AddRequestHeader=X-Route, admins" ]
          - id: public
            uri: %1$s
            predicates: [ "Path=/tenant/**" ]
            filters: [ "AddRequestHeader=X-Route, public" ]
      """.formatted(upstream.url())).start();
    TestTokens.publish(kit.vertx(), TestTokens.snapshot(System.currentTimeMillis()).key(key).json());
    String probe = key.token(TestTokens.claims("p").put("tenant", "acme"));
    AuthCalls.await(() -> "acme".equals(route(bearer(kit, "/tenant/x", probe))), "snapshot applied");
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  static String route(java.net.http.HttpResponse<String> r) {
    return r.statusCode() == 200 ? new JsonObject(r.body()).getJsonObject("headers").getString("x-route") : "status " + r.statusCode();
  }

  @Test
  void aVerifiedClaimChoosesTheRoute() {
    assertThat(route(bearer(kit, "/tenant/x", key.token(TestTokens.claims("u").put("tenant", "globex"))))).isEqualTo("acme");
    assertThat(route(bearer(kit, "/tenant/x", key.token(TestTokens.claims("u", "admin"))))).isEqualTo("admins");
    assertThat(route(bearer(kit, "/tenant/x", key.token(TestTokens.claims("u", "viewer").put("tenant", "initech"))))).isEqualTo("public");
    assertThat(route(get(kit, "/tenant/x"))).isEqualTo("public");
  }

  @Test
  void forgedExpiredOrForeignTokensNeverMatch() {
    JsonObject wanted = TestTokens.claims("mallory", "admin").put("tenant", "acme");
    assertThat(route(bearer(kit, "/tenant/x", TestTokens.unsigned(wanted)))).isEqualTo("public");
    assertThat(route(bearer(kit, "/tenant/x", TestTokens.hs256(TestTokens.publicKeyPem(key), "k1", wanted)))).isEqualTo("public");
    assertThat(route(bearer(kit, "/tenant/x", TestTokens.rsa("k1").token(wanted)))).isEqualTo("public");
    assertThat(route(bearer(kit, "/tenant/x", key.token(wanted.copy().put("exp", System.currentTimeMillis() / 1000 - 600))))).isEqualTo("public");
    assertThat(route(bearer(kit, "/tenant/x", key.token(wanted.copy().put("aud", new JsonArray().add("other")))))).isEqualTo("public");
    assertThat(route(bearer(kit, "/tenant/x", "garbage"))).isEqualTo("public");
    assertThat(route(get(kit, "/tenant/x", "Authorization", "Basic YTpi"))).isEqualTo("public");
    assertThat(upstreamHeaders(get(kit, "/tenant/x")).getString("x-route")).isEqualTo("public");
  }
}
