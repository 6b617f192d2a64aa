package io.junction.identity;

import io.junction.testkit.JunctionTestKit;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forged, stale and malformed bearer tokens against the admin API: each one a 401 JSON error with a Bearer
 * challenge, never a 500. Good tokens are signed here with the node's own key (read from the database), so only
 * the one claim under test is wrong.
 */
class AdminTokenAttacksTest {
  static JunctionTestKit kit;
  static IdentityClient client;
  static Pool pool;
  static SigningKeys keys;
  static String adminId;

  @BeforeAll
  static void start() {
    kit = JunctionTestKit.builder().start();
    client = new IdentityClient(kit);
    pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(kit.databaseUrl())).using(kit.vertx()).build();
    keys = new SigningKeys(kit.vertx(), pool, IdentitySettings.from(kit.config().getJsonObject("identity")));
    keys.load().await();
    adminId = client.admin("GET", "/api/v1/users/me", client.adminToken(), null).json().getString("id");
  }

  @AfterAll
  static void stop() {
    pool.close();
    kit.close();
  }

  private static JsonObject claims() {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("iss", "junction").put("aud", "junction").put("sub", adminId).put("iat", now).put("nbf", now)
      .put("exp", now + 600).put("jti", "t").put("email", JunctionTestKit.ADMIN_EMAIL).put("roles", new io.vertx.core.json.JsonArray().add("admin"));
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static void refused(String token, String why) {
    IdentityClient.Reply r = client.admin("GET", "/api/v1/users", token, null);
    assertThat(r.status()).as(why + ": " + r.body()).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).as(why).startsWith("Bearer");
    assertThat(r.json().getString("error")).as(why).isNotBlank();
  }

  @Test
  void aWellFormedTokenSignedByTheNodeKeyIsAccepted() {
    assertThat(client.admin("GET", "/api/v1/users", keys.sign(claims()), null).status()).isEqualTo(200);
  }

  @Test
  void staleOrMisdirectedTokensAreRefused() {
    long now = System.currentTimeMillis() / 1000;
    refused(keys.sign(claims().put("exp", now - 120)), "expired beyond the clock skew");
    refused(keys.sign(claims().put("nbf", now + 600)), "not yet valid");
    refused(keys.sign(claims().put("iss", "someone-else")), "wrong issuer");
    refused(keys.sign(claims().put("aud", "another-api")), "wrong audience");
  }

  @Test
  void forgedTokensAreRefused() throws Exception {
    String good = keys.sign(claims());
    String[] parts = good.split("\\.");
    String kid = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8)).getString("kid");
    // alg none, with and without a signature part
    String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
    refused(none, "alg none");
    // algorithm confusion: HS256 keyed with the RSA public key as published in the JWKS
    String header = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}");
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(keys.current().publicJwk().encode().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signed = header + "." + parts[1];
    String hs = signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    refused(hs, "HS256 with the public key");
    // the payload changed after signing: the admin becomes someone else
    refused(parts[0] + "." + b64(claims().put("sub", "00000000-0000-0000-0000-000000000000").encode()) + "." + parts[2], "payload swapped");
    // an unknown kid
    refused(b64("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"nobody\"}") + "." + parts[1] + "." + parts[2], "unknown kid");
  }

  @Test
  void malformedTokensAreRefused() {
    refused("a.b", "two parts");
    refused("!!!.@@@.###", "not base64url");
    refused(b64("not json") + "." + b64("{}") + ".c2ln", "header not JSON");
    refused("x".repeat(9000), "over 8 KB");
    refused("", "empty");
  }
}
