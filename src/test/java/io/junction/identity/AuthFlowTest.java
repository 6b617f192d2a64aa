package io.junction.identity;

import io.junction.testkit.Eventually;
import io.junction.testkit.JunctionTestKit;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Login → admin API → refresh → reuse detection → logout, against a real Junction and Postgres. */
class AuthFlowTest {
  static JunctionTestKit kit;
  static IdentityClient client;
  static Pool pool;
  static String adminToken;

  @BeforeAll
  static void start() {
    kit = JunctionTestKit.builder()
      .env("JUNCTION_IDENTITY_LOGIN_MAXFAILURESPERACCOUNT", "3")
      .env("JUNCTION_IDENTITY_LOGIN_FAILUREWINDOW", "3s")
      .start();
    client = new IdentityClient(kit);
    pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(kit.databaseUrl())).using(kit.vertx()).build();
    adminToken = client.adminToken();
  }

  @AfterAll
  static void stop() {
    pool.close();
    kit.close();
  }

  private static JsonObject claims(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  private static long auditCount(String action, String outcome) throws Exception {
    return pool.preparedQuery("SELECT count(*) FROM audit_log WHERE action = $1 AND outcome = $2").execute(Tuple.of(action, outcome))
      .await(5, TimeUnit.SECONDS).iterator().next().getLong(0);
  }

  @Test
  void loginGivesATokenPairWhoseAccessTokenOpensTheAdminApi() throws Exception {
    IdentityClient.Reply login = client.login(JunctionTestKit.ADMIN_EMAIL, JunctionTestKit.ADMIN_PASSWORD);
    assertThat(login.status()).isEqualTo(200);
    JsonObject pair = login.json();
    assertThat(pair.getString("tokenType")).isEqualTo("Bearer");
    assertThat(pair.getLong("expiresIn")).isEqualTo(900);
    assertThat(pair.getLong("refreshExpiresIn")).isEqualTo(7 * 24 * 3600);
    assertThat(pair.getString("refreshToken")).startsWith("rt_");
    JsonObject claims = claims(pair.getString("accessToken"));
    assertThat(claims.getString("iss")).isEqualTo("junction");
    assertThat(claims.getString("aud")).isEqualTo("junction");
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(900);
    assertThat(claims.getString("jti")).isNotBlank();
    assertThat(claims.getJsonArray("roles")).containsExactly("admin");
    assertThat(claims.getJsonArray("permissions")).contains("identity.users.write");

    IdentityClient.Reply me = client.admin("GET", "/api/v1/users/me", pair.getString("accessToken"), null);
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().getString("email")).isEqualTo(JunctionTestKit.ADMIN_EMAIL);
    assertThat(me.json().getString("id")).isEqualTo(claims.getString("sub"));
    assertThat(me.json().containsKey("passwordHash")).isFalse();
    Eventually.until("login audited", Duration.ofSeconds(5), () -> auditCount("auth.login", "success") > 0);
  }

  @Test
  void refreshRotatesAndReusingARotatedTokenRevokesTheWholeFamily() throws Exception {
    JsonObject first = client.login(JunctionTestKit.ADMIN_EMAIL, JunctionTestKit.ADMIN_PASSWORD).json();
    IdentityClient.Reply refreshed = client.publicCall("POST", "/auth/refresh", new JsonObject().put("refreshToken", first.getString("refreshToken")));
    assertThat(refreshed.status()).isEqualTo(200);
    JsonObject second = refreshed.json();
    assertThat(second.getString("refreshToken")).isNotEqualTo(first.getString("refreshToken"));
    assertThat(client.admin("GET", "/api/v1/users/me", second.getString("accessToken"), null).status()).isEqualTo(200);

    // The first refresh token was stolen and is replayed: refused, and the legitimate chain dies with it.
    IdentityClient.Reply replay = client.publicCall("POST", "/auth/refresh", new JsonObject().put("refreshToken", first.getString("refreshToken")));
    assertThat(replay.status()).isEqualTo(401);
    assertThat(replay.error()).isEqualTo("refresh_token_reused");
    IdentityClient.Reply afterTheft = client.publicCall("POST", "/auth/refresh", new JsonObject().put("refreshToken", second.getString("refreshToken")));
    assertThat(afterTheft.status()).isEqualTo(401);
    assertThat(afterTheft.error()).isEqualTo("refresh_token_revoked");
    Eventually.until("reuse audited", Duration.ofSeconds(5), () -> auditCount("auth.refresh.reuse", "failure") == 1);
    // Stored as hashes only.
    long plain = pool.preparedQuery("SELECT count(*) FROM refresh_tokens WHERE encode(token_hash, 'escape') LIKE '%rt_%'").execute()
      .await(5, TimeUnit.SECONDS).iterator().next().getLong(0);
    assertThat(plain).isZero();
  }

  @Test
  void logoutRevokesTheFamily() {
    JsonObject pair = client.login(JunctionTestKit.ADMIN_EMAIL, JunctionTestKit.ADMIN_PASSWORD).json();
    JsonObject rotated = client.publicCall("POST", "/auth/refresh", new JsonObject().put("refreshToken", pair.getString("refreshToken"))).json();
    assertThat(client.publicCall("POST", "/auth/logout", new JsonObject().put("refreshToken", rotated.getString("refreshToken"))).status()).isEqualTo(204);
    IdentityClient.Reply after = client.publicCall("POST", "/auth/refresh", new JsonObject().put("refreshToken", rotated.getString("refreshToken")));
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.error()).isEqualTo("refresh_token_revoked");
    assertThat(client.publicCall("POST", "/auth/logout", new JsonObject().put("refreshToken", "rt_unknown")).status()).as("idempotent").isEqualTo(204);
  }

  @Test
  void unknownUserAndWrongPasswordLookTheSame() {
    IdentityClient.Reply unknown = client.login("nobody@junction.test", "whatever-password");
    IdentityClient.Reply wrong = client.login(JunctionTestKit.ADMIN_EMAIL.toUpperCase(), "wrong-password-here");
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(unknown.json().copy().put("requestId", "x")).isEqualTo(wrong.json().copy().put("requestId", "x"));
    assertThat(unknown.header("WWW-Authenticate")).isEqualTo("Bearer");
    // Similar timing: both pay one password hash (measured over a few attempts each, on distinct emails).
    long unknownNanos = 0;
    long wrongNanos = 0;
    String victim = client.createUser(adminToken, "timing@junction.test", "a-strong-password-1");
    for (int i = 0; i < 4; i++) {
      long t0 = System.nanoTime();
      client.login("ghost" + i + "@junction.test", "whatever-password");
      unknownNanos += System.nanoTime() - t0;
      t0 = System.nanoTime();
      client.login("timing@junction.test", "wrong-password-" + i);
      wrongNanos += System.nanoTime() - t0;
    }
    System.out.printf("[measure] login 401 time: unknown user %d ms, wrong password %d ms (mean of 4)%n",
      unknownNanos / 4_000_000, wrongNanos / 4_000_000);
    assertThat((double) unknownNanos / wrongNanos).isBetween(0.4, 2.5);
    assertThat(victim).isNotBlank();
  }

  @Test
  void repeatedFailuresAreThrottledWithRetryAfterEvenForTheRightPassword() throws Exception {
    String email = "throttled@junction.test";
    client.createUser(adminToken, email, "the-right-password");
    for (int i = 0; i < 3; i++) {
      assertThat(client.login(email, "bad-password-" + i).status()).isEqualTo(401);
    }
    IdentityClient.Reply blocked = client.login(email, "the-right-password");
    assertThat(blocked.status()).isEqualTo(429);
    assertThat(blocked.error()).isEqualTo("too_many_attempts");
    assertThat(Integer.parseInt(blocked.header("Retry-After"))).isBetween(1, 3);
    Eventually.until("throttle window over", Duration.ofSeconds(6), () -> client.login(email, "the-right-password").status() == 200);
    assertThat(auditCount("auth.login", "throttled")).isPositive();
  }

  @Test
  void disabledUsersCannotLogInOrRefresh() {
    String email = "leaver@junction.test";
    String id = client.createUser(adminToken, email, "leaver-password-1");
    JsonObject pair = client.login(email, "leaver-password-1").json();
    assertThat(client.admin("PUT", "/api/v1/users/" + id, adminToken, new JsonObject().put("email", email).put("status", "disabled")).status()).isEqualTo(200);
    IdentityClient.Reply login = client.login(email, "leaver-password-1");
    assertThat(login.status()).isEqualTo(401);
    assertThat(login.error()).isEqualTo("invalid_credentials");
    IdentityClient.Reply refresh = client.publicCall("POST", "/auth/refresh", new JsonObject().put("refreshToken", pair.getString("refreshToken")));
    assertThat(refresh.status()).isEqualTo(401);
  }

  @Test
  void badBodiesAreRefusedWithA400NotA500() {
    assertThat(client.publicCall("POST", "/auth/login", "{not json").status()).isEqualTo(400);
    assertThat(client.publicCall("POST", "/auth/login", new JsonObject().put("email", "a@b.c")).status()).isEqualTo(400);
    assertThat(client.publicCall("POST", "/auth/login", new JsonObject().put("email", 5).put("password", "x")).status()).isEqualTo(400);
    assertThat(client.publicCall("POST", "/auth/refresh", new JsonObject()).status()).isEqualTo(400);
    assertThat(client.publicCall("POST", "/auth/refresh", new JsonObject().put("refreshToken", "x".repeat(600))).status()).isEqualTo(400);
  }

  private static double logins(String outcome) {
    String series = "junction_identity_logins_total{outcome=\"" + outcome + "\"} ";
    for (String line : kit.admin("/metrics").body().split("\n")) {
      if (line.startsWith(series)) {
        return Double.parseDouble(line.substring(series.length()).trim());
      }
    }
    return 0;
  }

  @Test
  void loginsAreCountedByOutcomeOnMetrics() {
    double success = logins("success");
    double failure = logins("failure");
    client.login(JunctionTestKit.ADMIN_EMAIL, JunctionTestKit.ADMIN_PASSWORD);
    client.login("counted-nobody@junction.test", "whatever-password");
    assertThat(logins("success")).isEqualTo(success + 1);
    assertThat(logins("failure")).isEqualTo(failure + 1);
  }

  @Test
  void jwksPublishesThePublicKeyOnly() {
    IdentityClient.Reply jwks = client.publicCall("GET", "/.well-known/jwks.json", null);
    assertThat(jwks.status()).isEqualTo(200);
    JsonObject key = jwks.json().getJsonArray("keys").getJsonObject(0);
    assertThat(key.getString("kty")).isEqualTo("RSA");
    assertThat(key.containsKey("d")).isFalse();
    String kid = new JsonObject(new String(Base64.getUrlDecoder().decode(adminToken.split("\\.")[0]), StandardCharsets.UTF_8)).getString("kid");
    assertThat(key.getString("kid")).isEqualTo(kid);
  }
}
