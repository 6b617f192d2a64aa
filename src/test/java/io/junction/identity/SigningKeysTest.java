package io.junction.identity;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where signing keys come from and how they rotate without logging anybody out. */
class SigningKeysTest {

  private static String kid(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8)).getString("kid");
  }

  private static JsonArray jwks(IdentityClient client) {
    return client.publicCall("GET", "/.well-known/jwks.json", null).json().getJsonArray("keys");
  }

  @Test
  void rotationKeepsThePreviousKeyPublishedSoIssuedTokensStayValid() throws Exception {
    String db = TestPostgres.newDatabase();
    try {
      String oldToken;
      String oldKid;
      try (JunctionTestKit first = JunctionTestKit.builder().database(db).env("JUNCTION_IDENTITY_JWT_ROTATEAFTER", "1s").start()) {
        IdentityClient client = new IdentityClient(first);
        oldToken = client.adminToken();
        oldKid = kid(oldToken);
        assertThat(jwks(client)).hasSize(1);
      }
      Thread.sleep(1100);
      try (JunctionTestKit second = JunctionTestKit.builder().database(db).env("JUNCTION_IDENTITY_JWT_ROTATEAFTER", "1s").start()) {
        IdentityClient client = new IdentityClient(second);
        JsonArray keys = jwks(client);
        assertThat(keys).hasSize(2);
        String newToken = client.adminToken();
        assertThat(kid(newToken)).isNotEqualTo(oldKid);
        assertThat(keys.stream().map(k -> ((JsonObject) k).getString("kid"))).contains(oldKid, kid(newToken));
        assertThat(client.admin("GET", "/api/v1/users/me", oldToken, null).status()).as("token signed by the retired key").isEqualTo(200);
        assertThat(client.admin("GET", "/api/v1/users/me", newToken, null).status()).isEqualTo(200);
      }
    } finally {
      TestPostgres.dropDatabase(db);
    }
  }

  @Test
  void aConfiguredKeyPairSignsAndIsTheOnePublished() throws Exception {
    for (String type : new String[] {"RSA", "EC"}) {
      KeyPair pair = pair(type);
      try (JunctionTestKit kit = JunctionTestKit.builder()
        .env("JUNCTION_IDENTITY_JWT_PRIVATEKEY", Jwk.pem("PRIVATE KEY", pair.getPrivate().getEncoded()))
        .env("JUNCTION_IDENTITY_JWT_PUBLICKEY", Jwk.pem("PUBLIC KEY", pair.getPublic().getEncoded()))
        .start()) {
        IdentityClient client = new IdentityClient(kit);
        JsonArray keys = jwks(client);
        String expected = Jwk.of(pair.getPublic()).getString("kid");
        assertThat(keys).hasSize(1);
        assertThat(keys.getJsonObject(0).getString("kid")).isEqualTo(expected);
        assertThat(keys.getJsonObject(0).getString("alg")).isEqualTo(type.equals("RSA") ? "RS256" : "ES256");
        String token = client.adminToken();
        assertThat(kid(token)).isEqualTo(expected);
        assertThat(client.admin("GET", "/api/v1/users/me", token, null).status()).isEqualTo(200);
      }
    }
  }

  @Test
  void aMismatchedOrBrokenKeyPairStopsStartWithAClearMessage() throws Exception {
    KeyPair one = pair("RSA");
    KeyPair other = pair("RSA");
    assertThatThrownBy(() -> JunctionTestKit.builder()
      .env("JUNCTION_IDENTITY_JWT_PRIVATEKEY", Jwk.pem("PRIVATE KEY", one.getPrivate().getEncoded()))
      .env("JUNCTION_IDENTITY_JWT_PUBLICKEY", Jwk.pem("PUBLIC KEY", other.getPublic().getEncoded()))
      .start()).hasMessageContaining("module identity").hasMessageContaining("do not belong together");
    assertThatThrownBy(() -> JunctionTestKit.builder()
      .env("JUNCTION_IDENTITY_JWT_PRIVATEKEY", Jwk.pem("PRIVATE KEY", one.getPrivate().getEncoded()))
      .start()).hasMessageContaining("identity.jwt.publicKey");
    assertThatThrownBy(() -> JunctionTestKit.builder()
      .env("JUNCTION_IDENTITY_JWT_PRIVATEKEY", "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n")
      .env("JUNCTION_IDENTITY_JWT_PUBLICKEY", Jwk.pem("PUBLIC KEY", one.getPublic().getEncoded()))
      .start()).hasMessageContaining("identity.jwt.privateKey");
  }

  private static KeyPair pair(String type) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(type);
    if (type.equals("EC")) {
      g.initialize(new ECGenParameterSpec("secp256r1"));
    } else {
      g.initialize(2048);
    }
    return g.generateKeyPair();
  }
}
