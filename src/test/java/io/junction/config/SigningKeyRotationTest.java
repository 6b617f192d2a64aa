package io.junction.config;

import io.junction.testkit.ContractClient;
import io.junction.testkit.Eventually;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestKubernetes;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The JWT signing key pair comes from a Secret (fabric8's mock API server in CRUD mode, the real configmap store) and
 * is rotated there: new tokens carry the new key's kid and verify with the key the JWKS publishes, tokens signed
 * with the old key are still accepted and its public key stays published; a pair whose halves do not match is
 * refused by the identity module and the key in force stays.
 */
class SigningKeyRotationTest {
  TestKubernetes k8s;
  TestUpstream upstream;
  JunctionTestKit kit;
  ContractClient platform;
  ContractClient admin;

  @AfterEach
  void stop() throws Exception {
    if (platform != null) {
      platform.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (kit != null) {
      kit.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (k8s != null) {
      k8s.close();
    }
  }

  static Map<String, String> secret(String privatePem, String publicPem) {
    return Map.of("identity.jwt.privateKey", privatePem, "identity.jwt.publicKey", publicPem,
      "identity.bootstrapAdmin.password", JunctionTestKit.ADMIN_PASSWORD);
  }

  String login() {
    ContractClient.Response r = platform.post("/auth/login")
      .json(new JsonObject().put("email", JunctionTestKit.ADMIN_EMAIL).put("password", JunctionTestKit.ADMIN_PASSWORD)).send();
    assertThat(r.status()).isEqualTo(200);
    return r.json().getString("accessToken");
  }

  static String kid(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8)).getString("kid");
  }

  JsonArray jwks() {
    ContractClient.Response r = platform.get("/.well-known/jwks.json").send();
    assertThat(r.status()).isEqualTo(200);
    return r.json().getJsonArray("keys");
  }

  JsonObject jwk(String kid) {
    return jwks().stream().map(JsonObject.class::cast).filter(k -> kid.equals(k.getString("kid"))).findFirst().orElse(null);
  }

  /** Verifies the token's signature with this JWK alone. */
  void verifiesWith(String token, JsonObject jwk) throws Exception {
    JWTAuth auth = JWTAuth.create(kit.vertx(), new JWTAuthOptions().addJwk(jwk));
    auth.authenticate(new TokenCredentials(token)).await(5, TimeUnit.SECONDS);
  }

  /** The JWK modulus of a PEM public key, to tell which pair the JWKS publishes. */
  static String modulus(String publicPem) throws Exception {
    String base64 = publicPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    java.security.interfaces.RSAPublicKey key = (java.security.interfaces.RSAPublicKey) java.security.KeyFactory.getInstance("RSA")
      .generatePublic(new java.security.spec.X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    byte[] n = key.getModulus().toByteArray();
    if (n[0] == 0) {
      n = java.util.Arrays.copyOfRange(n, 1, n.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(n);
  }

  int adminStatus(String token) {
    return admin.get("/api/v1/config/status").bearer(token).send().status();
  }

  long version(String token) {
    return admin.get("/api/v1/config/status").bearer(token).send().json().getJsonObject("applied").getLong("version");
  }

  @Test
  void aKeyPairRotatedThroughTheSecretSignsNewTokensAndOldTokensStayValid() throws Exception {
    KeyPairs first = KeyPairs.rsa();
    KeyPairs second = KeyPairs.rsa();
    k8s = TestKubernetes.start();
    upstream = new TestUpstream();
    k8s.putConfigMap("junction-config", Map.of("junction.yaml", "gateway:\n  routes:\n    - id: api\n      uri: " + upstream.url()
      + "\n      predicates: [\"Path=/api/**\"]\n"));
    k8s.putSecret("junction-secrets", secret(first.privatePem(), first.publicPem()));
    JunctionTestKit.Builder builder = JunctionTestKit.builder().env("JUNCTION_CONFIG_SCANPERIOD", "200ms");
    k8s.env("junction-config", "junction-secrets").forEach(builder::env);
    kit = builder.start();
    platform = ContractClient.platform(kit);
    admin = ContractClient.admin(kit);

    String oldToken = login();
    String oldKid = kid(oldToken);
    assertThat(jwk(oldKid)).as("the Secret's key is published").isNotNull();
    assertThat(jwk(oldKid).getString("n")).isEqualTo(modulus(first.publicPem()));
    verifiesWith(oldToken, jwk(oldKid));
    long before = version(oldToken);

    k8s.putSecret("junction-secrets", secret(second.privatePem(), second.publicPem()));
    String newModulus = modulus(second.publicPem());
    java.util.concurrent.atomic.AtomicReference<String> published = new java.util.concurrent.atomic.AtomicReference<>();
    Eventually.until("the new key is published", Duration.ofSeconds(5), () -> {
      jwks().stream().map(JsonObject.class::cast).filter(k -> newModulus.equals(k.getString("n")))
        .findFirst().ifPresent(k -> published.set(k.getString("kid")));
      return published.get() != null;
    });
    String newKid = published.get();
    String newToken = login();
    assertThat(kid(newToken)).as("new tokens are signed with the new key").isEqualTo(newKid).isNotEqualTo(oldKid);
    verifiesWith(newToken, jwk(newKid));
    Throwable wrongKey = catchThrowable(() -> verifiesWith(newToken, jwk(oldKid).copy().put("kid", newKid)));
    assertThat(wrongKey).as("not with the old key").isNotNull();
    assertThat(jwk(oldKid)).as("the old public key stays published while its tokens may be valid").isNotNull();
    assertThat(adminStatus(oldToken)).as("a token signed with the old key").isEqualTo(200);
    assertThat(adminStatus(newToken)).isEqualTo(200);
    JsonObject status = admin.get("/api/v1/config/status").bearer(newToken).send().json();
    assertThat(status.getJsonObject("applied").getLong("version")).isEqualTo(before + 1);
    assertThat(status.getJsonArray("needsRestart").encode()).as("the key pair changes live").doesNotContain("identity.jwt");

    // Halves of two different pairs: identity refuses, nothing else had applied it, the second key stays.
    k8s.putSecret("junction-secrets", secret(first.privatePem(), second.publicPem()));
    Eventually.until("refused by identity", Duration.ofSeconds(5), () -> {
      JsonObject error = admin.get("/api/v1/config/status").bearer(newToken).send().json().getJsonObject("lastError");
      return error != null && "identity".equals(error.getString("module"));
    });
    JsonObject refused = admin.get("/api/v1/config/status").bearer(newToken).send().json();
    assertThat(refused.getJsonObject("lastError").getString("outcome")).isEqualTo("rejected");
    assertThat(refused.getJsonObject("lastError").getJsonArray("problems").encode()).contains("do not belong together");
    assertThat(refused.getJsonObject("applied").getLong("version")).isEqualTo(before + 1);
    assertThat(kid(login())).isEqualTo(newKid);
    assertThat(adminStatus(oldToken)).isEqualTo(200);
  }
}
