package io.junction.gateway.route.predicate;

import static io.junction.gateway.route.predicate.Predicates.failsShortcut;
import static io.junction.gateway.route.predicate.Predicates.shortcut;
import static io.junction.gateway.route.predicate.Predicates.test;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JwtClaimPredicateTest {

  private static TestRequest withClaims(Map<String, Object> claims) {
    return new TestRequest().claims(claims);
  }

  @Test
  void stringClaimMustMatchTheWholeRegexp() {
    RoutePredicate tenant = shortcut("JwtClaim=tenant, acme|globex");
    assertThat(test(tenant, withClaims(Map.of("tenant", "acme")))).isTrue();
    assertThat(test(tenant, withClaims(Map.of("tenant", "acme-eu")))).isFalse();
    assertThat(test(tenant, withClaims(Map.of("org", "acme")))).isFalse();
  }

  @Test
  void noTokenNeverMatches() {
    assertThat(test(shortcut("JwtClaim=sub"), new TestRequest())).isFalse();
  }

  @Test
  void withoutRegexpTheClaimOnlyHasToBePresent() {
    RoutePredicate present = shortcut("JwtClaim=admin");
    assertThat(test(present, withClaims(Map.of("admin", false)))).isTrue();
    assertThat(test(present, withClaims(Map.of("admin", List.of())))).isTrue();
    assertThat(test(present, withClaims(Map.of("user", true)))).isFalse();
  }

  @Test
  void anyElementOfAListClaimMayMatch() {
    RoutePredicate role = shortcut("JwtClaim=roles, admin");
    assertThat(test(role, withClaims(Map.of("roles", List.of("user", "admin"))))).isTrue();
    assertThat(test(role, withClaims(Map.of("roles", new JsonArray().add("user").add("admin"))))).isTrue();
    assertThat(test(role, withClaims(Map.of("roles", List.of("user"))))).isFalse();
  }

  @Test
  void numbersAndBooleansMatchAsText() {
    assertThat(test(shortcut("JwtClaim=level, [3-5]"), withClaims(Map.of("level", 4)))).isTrue();
    assertThat(test(shortcut("JwtClaim=email_verified, true"), withClaims(Map.of("email_verified", true))))
        .isTrue();
  }

  @Test
  void dottedNameWalksNestedObjects() {
    RoutePredicate realmRole = shortcut("JwtClaim=realm_access.roles, ops");
    assertThat(test(realmRole, withClaims(Map.of("realm_access", Map.of("roles", List.of("ops")))))).isTrue();
    assertThat(test(realmRole, withClaims(Map.of("realm_access",
        new JsonObject().put("roles", new JsonArray().add("ops")))))).isTrue();
    assertThat(test(realmRole, withClaims(Map.of("realm_access", "ops")))).isFalse();
    // a claim literally named with a dot wins over the nested walk
    assertThat(test(realmRole, withClaims(Map.of("realm_access.roles", "ops")))).isTrue();
  }

  @Test
  void objectClaimsHaveNoTextToMatch() {
    assertThat(test(shortcut("JwtClaim=address, .*"), withClaims(Map.of("address", Map.of("city", "x")))))
        .isFalse();
  }

  @Test
  void badConfig() {
    failsShortcut("JwtClaim").hasMessageContaining("missing required argument 'claim'");
    failsShortcut("JwtClaim=tenant, [").hasMessageContaining("bad regexp");
  }
}
