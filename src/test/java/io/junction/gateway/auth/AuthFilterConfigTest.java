package io.junction.gateway.auth;

import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterRegistry;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ItemDefinition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad auth filter configs are config problems with a clear message, found when the route is built. */
class AuthFilterConfigTest {
  static final Vertx VERTX = Vertx.vertx();
  static final FilterContext CONTEXT = new FilterContext(VERTX, new SimpleMeterRegistry(), "r", null, null);
  static final String BCRYPT = "$2y$05$abcdefghijklmnopqrstuu0123456789abcdefghijklmnopqrstu";

  @AfterAll
  static void close() throws Exception {
    VERTX.close().await(10, TimeUnit.SECONDS);
  }

  static void build(Object definition) throws DefinitionException {
    FilterRegistry.defaults().create(ItemDefinition.parse(definition), CONTEXT);
  }

  static void refused(Object definition, String message) {
    assertThatThrownBy(() -> build(definition)).isInstanceOf(DefinitionException.class).hasMessageContaining(message);
  }

  @Test
  void goodConfigsBuild() {
    assertThatCode(() -> {
      build("JwtAuth");
      build("JwtAuth=junction, my-api");
      build(Map.of("name", "JwtAuth", "args", Map.of("required", false, "header", "X-Token", "stripToken", true)));
      build("RequireRoles=admin, ops");
      build(Map.of("name", "RequirePermissions", "args", Map.of("permissions", List.of("a.b.c"), "mode", "any")));
      build("RequireScopes=orders:read");
      build("JwtClaimHeader=realm_access.roles, X-Roles");
      build("ApiKey");
      build("ApiKey=X-Key");
      build(Map.of("name", "BasicAuth", "args", Map.of("users", List.of("alice:" + BCRYPT))));
    }).doesNotThrowAnyException();
  }

  @Test
  void badConfigsAreRefusedWithTheReason() {
    refused(Map.of("name", "JwtAuth", "args", Map.of("jwksUri", "https://idp.example/certs")), "needs the issuer");
    refused(Map.of("name", "JwtAuth", "args", Map.of("jwksUri", "ftp://idp.example/certs", "issuer", "x")), "http(s) URL");
    refused(Map.of("name", "JwtAuth", "args", Map.of("clockSkew", "10s")), "only applies to an external issuer");
    refused(Map.of("name", "JwtAuth", "args", Map.of("required", "maybe")), "bad boolean");
    refused(Map.of("name", "JwtAuth", "args", Map.of("jwksUri", "http://x/certs", "issuer", "x", "jwksRefresh", "soon")), "not a duration");
    refused(Map.of("name", "JwtAuth", "args", Map.of("audiences", "x")), "unknown argument");
    refused(Map.of("name", "RequireRoles", "args", Map.of("roles", List.of("a"), "mode", "some")), "expected any or all");
    refused("RequireRoles", "missing required argument 'roles'");
    refused("JwtClaimHeader=sub", "missing required argument 'header'");
    refused("JwtClaimHeader=sub, X User", "bad header name");
    refused(Map.of("name", "BasicAuth", "args", Map.of("users", List.of("alice:$apr1$abc$def"))), "not a bcrypt hash");
    refused(Map.of("name", "BasicAuth", "args", Map.of("users", List.of("alice"))), "expected name:bcrypt-hash");
    refused(Map.of("name", "BasicAuth", "args", Map.of("users", List.of("alice:" + BCRYPT, "alice:" + BCRYPT))), "listed twice");
    refused(Map.of("name", "BasicAuth", "args", Map.of("realm", "x")), "exactly one of");
    refused(Map.of("name", "BasicAuth", "args", Map.of("usersFile", "/nonexistent/htpasswd")), "cannot read");
    assertThatThrownBy(() -> build(Map.of("name", "BasicAuth", "args", Map.of("users", List.of("alice:$apr1$secret")))))
      .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
  }
}
