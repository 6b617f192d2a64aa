package io.junction.identity;

import io.junction.testkit.JunctionTestKit;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The identity module's start-up work and its snapshot, against a real Junction and Postgres. */
class IdentityModuleTest {
  static JunctionTestKit kit;
  static Pool pool;

  @BeforeAll
  static void start() {
    kit = JunctionTestKit.builder().start();
    pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(kit.databaseUrl())).using(kit.vertx()).build();
  }

  @AfterAll
  static void stop() {
    pool.close();
    kit.close();
  }

  private static JsonObject snapshot() throws Exception {
    return kit.vertx().eventBus().<JsonObject>request(IdentityVerticle.SNAPSHOT_ADDRESS, null).await(10, TimeUnit.SECONDS).body();
  }

  @Test
  void firstStartMakesOneSigningKeyAndTheConfiguredAdmin() throws Exception {
    JsonObject s = snapshot();
    assertThat(s.getJsonArray("keys")).hasSize(1);
    JsonObject jwk = s.getJsonArray("keys").getJsonObject(0);
    assertThat(jwk.getString("kty")).isEqualTo("RSA");
    assertThat(jwk.getString("alg")).isEqualTo("RS256");
    assertThat(jwk.containsKey("d")).as("never a private part").isFalse();
    assertThat(s.getJsonObject("roles").getJsonArray("admin")).contains("identity.users.write", "gateway.routes.write");
    assertThat(s.getJsonObject("roles").getJsonArray("viewer")).contains("gateway.routes.read").doesNotContain("gateway.routes.write");
    var users = pool.query("SELECT u.email, u.password_hash, r.role_id FROM users u JOIN user_roles r ON r.user_id = u.id").execute().await(10, TimeUnit.SECONDS);
    assertThat(users.size()).isEqualTo(1);
    var row = users.iterator().next();
    assertThat(row.getString(0)).isEqualTo(JunctionTestKit.ADMIN_EMAIL);
    assertThat(row.getString(1)).startsWith("$argon2id$").doesNotContain(JunctionTestKit.ADMIN_PASSWORD);
    assertThat(row.getString(2)).isEqualTo("admin");
    assertThat(s.getJsonObject("users").fieldNames()).as("recently created users are in the snapshot").hasSize(1);
  }

  @Test
  void snapshotVersionsOnlyGrow() throws Exception {
    long a = snapshot().getLong("version");
    long b = snapshot().getLong("version");
    assertThat(b).isGreaterThan(a);
  }

  @Test
  void tokensAreSignedWithThePublishedKeyAndCarryTheContractClaims() throws Exception {
    Vertx vertx = kit.vertx();
    IdentitySettings settings = IdentitySettings.from(kit.config().getJsonObject("identity"));
    SigningKeys keys = new SigningKeys(vertx, pool, settings);
    keys.load().await(10, TimeUnit.SECONDS);
    JsonObject jwk = snapshot().getJsonArray("keys").getJsonObject(0);
    assertThat(keys.current().kid()).as("a second node uses the same key").isEqualTo(jwk.getString("kid"));
    String token = keys.sign(new JsonObject().put("sub", "u1").put("iss", "junction").put("aud", "junction")
      .put("iat", 1L).put("exp", 4_000_000_000L).put("roles", new JsonArray().add("viewer")));
    String[] parts = token.split("\\.");
    JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    assertThat(header.getString("alg")).isEqualTo("RS256");
    assertThat(header.getString("kid")).isEqualTo(jwk.getString("kid"));
    assertThat(claims.getValue("aud")).isEqualTo("junction");
    assertThat(claims.getLong("iat")).isEqualTo(1L);
    JWTAuth verifier = JWTAuth.create(vertx, new JWTAuthOptions().addJwk(jwk).setJWTOptions(new JWTOptions().setIssuer("junction").addAudience("junction")));
    var user = verifier.authenticate(new TokenCredentials(token)).await(5, TimeUnit.SECONDS);
    assertThat(user.principal().getString("sub")).isEqualTo("u1");
  }
}
