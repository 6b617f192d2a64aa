package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.junction.gateway.e2e.E2E.get;
import static io.junction.gateway.e2e.E2E.noRoute;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * JwtClaim through a running Junction without any identity snapshot: the safe side — a JwtClaim route never
 * matches a request without a verified token, whatever it carries. Routing by verified claims:
 * {@code io.junction.gateway.auth.JwtClaimRoutingE2ETest}.
 */
class JwtClaimPredicateE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("jwt");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: acme-only
            uri: %1$s
            order: -1
            predicates: [ "Path=/tenant/**", "JwtClaim=tenant, acme" ]
            filters: [ "AddRequestHeader=X-Route, acme-only" ]
          - id: public
            uri: %1$s
            predicates: [ "Path=/tenant/**" ]
            filters: [ "AddRequestHeader=X-Route, public" ]
          - id: any-subject
            uri: %1$s
            predicates:
              - Path=/signed-in/**
              - name: JwtClaim
                args: { claim: sub }
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  /** An unsigned token ({@code alg: none}) with the claims an attacker would like to have. */
  private static String forged(String claimsJson) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
      + b64.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8)) + ".";
  }

  private static void servedByPublicOrRefused(HttpResponse<String> r) {
    if (r.statusCode() == 200) {
      assertThat(new JsonObject(r.body()).getJsonObject("headers").getString("x-route")).isEqualTo("public");
    } else {
      assertThat(r.statusCode()).as("an unverifiable token may only be refused").isEqualTo(401);
    }
  }

  @Test
  void aJwtClaimRouteNeverMatchesWithoutAVerifiedToken() {
    HttpResponse<String> anonymous = get(kit, "/tenant/x");
    assertThat(anonymous.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(anonymous.body()).getJsonObject("headers").getString("x-route")).isEqualTo("public");

    servedByPublicOrRefused(get(kit, "/tenant/x", "Authorization", "Bearer " + forged("{\"sub\":\"mallory\",\"tenant\":\"acme\"}")));
    servedByPublicOrRefused(get(kit, "/tenant/x", "Authorization", "Bearer not-a-token"));

    noRoute(get(kit, "/signed-in/x"));
    HttpResponse<String> forged = get(kit, "/signed-in/x", "Authorization", "Bearer " + forged("{\"sub\":\"mallory\"}"));
    assertThat(forged.statusCode()).isIn(401, 404);
  }
}
