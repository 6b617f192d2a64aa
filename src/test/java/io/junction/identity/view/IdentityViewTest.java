package io.junction.identity.view;

import io.junction.http.AuthException;
import io.junction.http.Caller;
import io.junction.testkit.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * IdentityView against snapshots published on a real event bus and tokens signed with keys generated here:
 * what a good token yields, every attack of the list, and how newer snapshots change the answers.
 */
class IdentityViewTest {
  static Vertx vertx;
  static TestTokens.Key rsa;
  static TestTokens.Key ec;
  static TestTokens.Key pss;
  static TestTokens.Key stranger;
  IdentityView view;
  long version = System.currentTimeMillis();

  @BeforeAll
  static void keys() {
    vertx = Vertx.vertx();
    rsa = TestTokens.rsa("rsa-1");
    ec = TestTokens.ec("ec-1");
    pss = TestTokens.rsa("pss-1", "PS256");
    stranger = TestTokens.rsa("rsa-1"); // same kid, other key: an attacker's own key pair
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void open() {
    view = IdentityView.open(vertx);
    publish(base());
  }

  @AfterEach
  void closeView() {
    view.close();
  }

  private TestTokens.Snapshot base() {
    return TestTokens.snapshot(++version).key(rsa).key(ec).key(pss)
      .role("admin", "gateway.routes.read", "gateway.routes.write")
      .role("viewer", "gateway.routes.read");
  }

  /** Publishes and waits until the view holds it (or a newer one). */
  private void publish(TestTokens.Snapshot snapshot) {
    long v = snapshot.json().getLong("version");
    TestTokens.publish(vertx, snapshot.json());
    await(() -> view.version() >= v);
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 5 s");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private void rejected(String token, String code) {
    assertThatThrownBy(() -> view.verify(token)).isInstanceOf(TokenRejectedException.class)
      .satisfies(e -> assertThat(((TokenRejectedException) e).code()).as(e.getMessage()).isEqualTo(code));
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  @Test
  void aGoodTokenYieldsItsUserWithThePermissionsOfTheCurrentSnapshot() {
    JsonObject claims = TestTokens.claims("u-1", "viewer").put("scope", "orders:read orders:write")
      .put("permissions", new JsonArray().add("everything.forged")).put("org", new JsonObject().put("tenant", "acme"));
    VerifiedToken t = view.verify(rsa.token(claims));
    assertThat(t.subject()).isEqualTo("u-1");
    assertThat(t.email()).isEqualTo("u-1@example.com");
    assertThat(t.roles()).containsExactly("viewer");
    assertThat(t.permissions()).as("from the snapshot, not the token's permissions claim").containsExactly("gateway.routes.read");
    assertThat(t.scopes()).containsExactlyInAnyOrder("orders:read", "orders:write");
    assertThat(t.expiresAt()).isEqualTo(claims.getLong("exp"));
    assertThat(t.issuer()).isEqualTo("junction");
    assertThat(t.claims()).containsEntry("sub", "u-1");
    assertThat(t.claims().get("org")).isEqualTo(Map.of("tenant", "acme"));
    assertThatThrownBy(() -> t.claims().put("sub", "x")).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> org = (Map<String, Object>) t.claims().get("org");
    assertThatThrownBy(() -> org.put("tenant", "x")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(view.issuer()).isEqualTo("junction");
    assertThat(view.audience()).isEqualTo("junction");
  }

  @Test
  void es256AndPs256AndAnAudienceListAreAccepted() {
    assertThat(view.verify(ec.token(TestTokens.claims("u-ec", "admin"))).permissions())
      .containsExactlyInAnyOrder("gateway.routes.read", "gateway.routes.write");
    assertThat(view.verify(pss.token(TestTokens.claims("u-ps", "viewer"))).subject()).isEqualTo("u-ps");
    JsonObject claims = TestTokens.claims("u-aud").put("aud", new JsonArray().add("other").add("junction"));
    assertThat(view.verify(rsa.token(claims)).subject()).isEqualTo("u-aud");
  }

  @Test
  void unsignedTokensAreRefusedBeforeAnyCrypto() {
    rejected(TestTokens.unsigned(TestTokens.claims("mallory", "admin")), "token_algorithm");
    String noneWithKid = TestTokens.b64("{\"alg\":\"none\",\"kid\":\"rsa-1\"}") + "." + TestTokens.b64(TestTokens.claims("m").encode()) + ".";
    rejected(noneWithKid, "token_algorithm");
    String noneCapitals = TestTokens.b64("{\"alg\":\"NONE\"}") + "." + TestTokens.b64(TestTokens.claims("m").encode()) + ".sig";
    rejected(noneCapitals, "token_algorithm");
    String noAlg = TestTokens.b64("{\"kid\":\"rsa-1\"}") + "." + TestTokens.b64(TestTokens.claims("m").encode()) + ".c2ln";
    rejected(noAlg, "token_algorithm");
  }

  @Test
  void hs256SignedWithTheRsaPublicKeyIsRefused() {
    JsonObject claims = TestTokens.claims("mallory", "admin");
    rejected(TestTokens.hs256(TestTokens.publicKeyPem(rsa), "rsa-1", claims), "token_algorithm");
    rejected(TestTokens.hs256(rsa.pair().getPublic().getEncoded(), "rsa-1", claims), "token_algorithm");
    rejected(TestTokens.hs256(rsa.jwk().encode().getBytes(StandardCharsets.UTF_8), "rsa-1", claims), "token_algorithm");
    // HS384/HS512 too, whatever the key
    String hs512 = TestTokens.b64("{\"alg\":\"HS512\",\"kid\":\"rsa-1\"}") + "." + TestTokens.b64(claims.encode()) + ".c2ln";
    rejected(hs512, "token_algorithm");
  }

  @Test
  void aTokenMustUseTheAlgorithmOfItsKeysType() {
    // RS256 header naming the EC key; ES256 header naming the RSA key; RS384 on a key pinned to RS256
    JsonObject claims = TestTokens.claims("m");
    rejected(rsa.sign(new JsonObject().put("alg", "RS256").put("kid", "ec-1"), claims), "token_algorithm");
    rejected(ec.sign(new JsonObject().put("alg", "ES256").put("kid", "rsa-1"), claims), "token_algorithm");
    TestTokens.Key rs384 = new TestTokens.Key("rsa-1", "RS384", rsa.pair());
    rejected(rs384.token(claims), "token_algorithm");
  }

  @Test
  void aWrongSignatureIsRefused() {
    rejected(stranger.token(TestTokens.claims("mallory", "admin")), "token_signature");
    String good = rsa.token(TestTokens.claims("u-1", "viewer"));
    String[] parts = good.split("\\.");
    String tampered = parts[0] + "." + TestTokens.b64(TestTokens.claims("u-1", "admin").encode()) + "." + parts[2];
    rejected(tampered, "token_signature");
    rejected(parts[0] + "." + parts[1] + ".", "token_signature");
    char last = parts[2].charAt(10);
    String flipped = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + (last == 'A' ? 'B' : 'A') + parts[2].substring(11);
    rejected(flipped, "token_signature");
  }

  @Test
  void expiryAndNotBeforeHonourTheClockSkew() {
    rejected(rsa.token(TestTokens.claims("u").put("exp", now() - 40)), "token_expired");
    assertThat(view.verify(rsa.token(TestTokens.claims("u").put("exp", now() - 20))).subject()).as("within 30 s skew").isEqualTo("u");
    rejected(rsa.token(TestTokens.claims("u").put("nbf", now() + 60)), "token_not_yet_valid");
    assertThat(view.verify(rsa.token(TestTokens.claims("u").put("nbf", now() + 20))).subject()).as("within 30 s skew").isEqualTo("u");
    rejected(rsa.token(TestTokens.claims("u").put("exp", (Object) null)), "token_malformed");
    rejected(rsa.token(TestTokens.claims("u").put("exp", "tomorrow")), "token_malformed");

    publish(base().set("clockSkewSeconds", 0));
    rejected(rsa.token(TestTokens.claims("u").put("exp", now() - 5)), "token_expired");
  }

  @Test
  void aCachedTokenStillExpires() throws InterruptedException {
    publish(base().set("clockSkewSeconds", 0));
    String token = rsa.token(TestTokens.claims("u").put("exp", now() + 2));
    assertThat(view.verify(token).subject()).isEqualTo("u");
    Thread.sleep(3_100);
    rejected(token, "token_expired");
  }

  @Test
  void wrongIssuerOrAudienceIsRefused() {
    rejected(rsa.token(TestTokens.claims("u").put("iss", "https://evil.example")), "token_issuer");
    JsonObject noIss = TestTokens.claims("u");
    noIss.remove("iss");
    rejected(rsa.token(noIss), "token_issuer");
    rejected(rsa.token(TestTokens.claims("u").put("aud", "billing")), "token_audience");
    rejected(rsa.token(TestTokens.claims("u").put("aud", new JsonArray().add("billing"))), "token_audience");
    JsonObject noAud = TestTokens.claims("u");
    noAud.remove("aud");
    rejected(rsa.token(noAud), "token_audience");
    rejected(rsa.token(TestTokens.claims("u").put("aud", 42)), "token_malformed");
  }

  @Test
  void anUnknownKidIsRefused() {
    TestTokens.Key other = TestTokens.rsa("nobody-knows-me");
    rejected(other.token(TestTokens.claims("u")), "token_unknown_key");
    rejected(rsa.sign(new JsonObject().put("alg", "RS256"), TestTokens.claims("u")), "token_unknown_key"); // no kid, two RSA keys
    rejected(rsa.sign(new JsonObject().put("alg", "RS256").put("kid", 7), TestTokens.claims("u")), "token_malformed");
  }

  @Test
  void malformedTokensAreRefusedAsMalformed() {
    String claims = TestTokens.b64(TestTokens.claims("u").encode());
    String header = TestTokens.b64("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}");
    for (String bad : List.of("abc", "a.b", "a.b.c.d", ".a.b", header + "." + claims + ".c2ln.", "@@@." + claims + ".c2ln",
      header + ".%%%." + "c2ln", header + "." + claims + ".c2ln=", header + "=." + claims + ".c2ln",
      TestTokens.b64("not json") + "." + claims + ".c2ln", TestTokens.b64("[1,2]") + "." + claims + ".c2ln",
      TestTokens.b64("\"text\"") + "." + claims + ".c2ln", "A." + claims + ".c2ln", "ünïcödé.x.y")) {
      rejected(bad, "token_malformed");
    }
    // a correctly signed payload that is not a JSON object
    String signedGarbage = header + "." + TestTokens.b64("not json") + ".";
    rejected(signedGarbage + TestTokens.b64(sign(signedGarbage.substring(0, signedGarbage.length() - 1))), "token_malformed");
    rejected(rsa.token(TestTokens.claims("u").put("sub", 12)), "token_malformed");
    JsonObject noSub = TestTokens.claims("u");
    noSub.remove("sub");
    rejected(rsa.token(noSub), "token_malformed");
    String deep = "[".repeat(3000);
    rejected(header + "." + TestTokens.b64(deep) + ".c2ln", "token_signature");
    rejected(TestTokens.b64("{\"alg\":\"RS256\",\"crit\":[\"exp\"],\"kid\":\"rsa-1\"}") + "." + claims + ".c2ln", "token_malformed");
  }

  private static byte[] sign(String input) {
    try {
      java.security.Signature s = java.security.Signature.getInstance("SHA256withRSA");
      s.initSign(rsa.pair().getPrivate());
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return s.sign();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void tokensOverEightKilobytesAreRefusedUnread() {
    JsonObject claims = TestTokens.claims("u").put("pad", "x".repeat(8_200));
    rejected(rsa.token(claims), "token_too_large");
    rejected("x".repeat(100_000), "token_too_large");
    rejected(null, "token_missing");
    rejected("  ", "token_missing");
  }

  @Test
  void aRolePermissionChangeAppliesToTheNextVerify() {
    String token = rsa.token(TestTokens.claims("u-2", "viewer"));
    assertThat(view.verify(token).permissions()).containsExactly("gateway.routes.read");
    publish(TestTokens.snapshot(++version).key(rsa).key(ec).key(pss).role("viewer", "gateway.routes.read", "audit.read"));
    assertThat(view.verify(token).permissions()).containsExactlyInAnyOrder("gateway.routes.read", "audit.read");
    publish(TestTokens.snapshot(++version).key(rsa).role("admin", "x"));
    assertThat(view.verify(token).permissions()).as("role gone from the snapshot").isEmpty();
  }

  @Test
  void aUsersRoleChangeAfterTheTokenWasIssuedWins() {
    JsonObject claims = TestTokens.claims("u-3", "admin");
    String token = rsa.token(claims);
    long iatMs = claims.getLong("iat") * 1000;
    publish(base().user("u-3", iatMs + 1, true, "viewer"));
    VerifiedToken t = view.verify(token);
    assertThat(t.roles()).containsExactly("viewer");
    assertThat(t.permissions()).containsExactly("gateway.routes.read");
    // a change from before the token was issued is already in the token
    publish(base().user("u-3", iatMs - 5_000, true, "viewer"));
    assertThat(view.verify(token).roles()).containsExactly("admin");
  }

  @Test
  void aDisabledUsersTokensAreRevoked() {
    JsonObject claims = TestTokens.claims("u-4", "admin");
    String token = rsa.token(claims);
    assertThat(view.verify(token).subject()).isEqualTo("u-4");
    publish(base().user("u-4", System.currentTimeMillis() + 1_000, false));
    rejected(token, "token_revoked");
    assertThatThrownBy(() -> view.authenticate("Bearer " + token)).isInstanceOf(AuthException.class)
      .satisfies(e -> assertThat(((AuthException) e).code()).isEqualTo("token_revoked"));
    // a token issued after the user was disabled (and re-enabled) is fine
    publish(base().user("u-4", claims.getLong("iat") * 1000 - 60_000, false));
    assertThat(view.verify(token).subject()).isEqualTo("u-4");
  }

  @Test
  void anOlderSnapshotIsIgnored() {
    long held = view.version();
    TestTokens.publish(vertx, TestTokens.snapshot(held - 10).key(rsa).role("viewer", "everything").json());
    TestTokens.publish(vertx, TestTokens.snapshot(held + 1).key(rsa).key(ec).key(pss).role("viewer", "gateway.routes.read", "marker").json());
    await(() -> view.version() == held + 1);
    assertThat(view.permissionsOf(List.of("viewer"))).containsExactlyInAnyOrder("gateway.routes.read", "marker");
    assertThat(view.accept(TestTokens.snapshot(held).key(rsa).json())).isFalse();
    assertThat(view.version()).isEqualTo(held + 1);
  }

  @Test
  void aBrokenSnapshotIsRefusedAndThePreviousOneKept() {
    long held = view.version();
    assertThat(view.accept(new JsonObject().put("version", held + 5).put("keys", "none"))).isFalse();
    assertThat(view.accept(base().set("users", new JsonObject().put("u", "x")).set("version", held + 6).json())).isFalse();
    assertThat(view.accept("not json")).isFalse();
    assertThat(view.version()).isEqualTo(held);
    assertThat(view.verify(rsa.token(TestTokens.claims("u"))).subject()).isEqualTo("u");
  }

  @Test
  void aRotatedOutKeyNoLongerVerifiesEvenCachedTokens() {
    String token = rsa.token(TestTokens.claims("u-5", "viewer"));
    assertThat(view.verify(token).subject()).isEqualTo("u-5");
    TestTokens.Key next = TestTokens.rsa("rsa-2");
    publish(TestTokens.snapshot(++version).key(next).role("viewer", "gateway.routes.read"));
    rejected(token, "token_unknown_key");
    assertThat(view.verify(next.token(TestTokens.claims("u-5", "viewer"))).subject()).isEqualTo("u-5");
  }

  @Test
  void apiKeysAreFoundByHashAndRefusedWhenExpiredOrTheirUserIsDisabled() {
    long now = System.currentTimeMillis();
    publish(base().apiKey("jk_good", "u-6", null, "viewer").apiKey("jk_old", "u-6", now - 1, "viewer")
      .apiKey("jk_later", "u-6", now + 60_000, "admin").apiKey("jk_off", "u-7", null, "admin").user("u-7", now, false));
    ApiKeyOwner owner = view.apiKey("jk_good");
    assertThat(owner.userId()).isEqualTo("u-6");
    assertThat(owner.roles()).containsExactly("viewer");
    assertThat(owner.permissions()).containsExactly("gateway.routes.read");
    assertThat(owner.keyId()).isNotBlank();
    assertThat(view.apiKey("jk_later").permissions()).contains("gateway.routes.write");
    assertThat(view.apiKey("jk_old")).isNull();
    assertThat(view.apiKey("jk_unknown")).isNull();
    assertThat(view.apiKey("jk_off")).isNull();
    assertThat(view.apiKey(null)).isNull();
    assertThat(view.apiKey("x".repeat(5000))).isNull();
  }

  @Test
  void theAdminAuthenticatorTakesBearerTokensOnly() {
    String token = rsa.token(TestTokens.claims("u-8", "admin"));
    Caller caller = view.authenticate("Bearer " + token);
    assertThat(caller.userId()).isEqualTo("u-8");
    assertThat(caller.email()).isEqualTo("u-8@example.com");
    assertThat(caller.roles()).containsExactly("admin");
    assertThat(caller.can("gateway.routes.write")).isTrue();
    assertThat(view.authenticate("bearer   " + token).userId()).isEqualTo("u-8");
    assertThat(view.authenticate("BEARER " + token).userId()).isEqualTo("u-8");
    authFails(null, "token_missing");
    authFails("", "token_missing");
    authFails("Basic dXNlcjpwYXNz", "token_malformed");
    authFails("Bearer", "token_malformed");
    authFails("Bearer ", "token_malformed");
    authFails("Bearer " + TestTokens.unsigned(TestTokens.claims("m", "admin")), "token_algorithm");
    authFails("Bearer " + rsa.token(TestTokens.claims("u").put("exp", now() - 3600)), "token_expired");
  }

  private void authFails(String header, String code) {
    assertThatThrownBy(() -> view.authenticate(header)).isInstanceOf(AuthException.class)
      .satisfies(e -> assertThat(((AuthException) e).code()).as(e.getMessage()).isEqualTo(code));
  }

  @Test
  void beforeAnySnapshotEveryTokenIsUnavailable() throws Exception {
    Vertx lonely = Vertx.vertx();
    try {
      IdentityView empty = IdentityView.open(lonely);
      assertThat(empty.available()).isFalse();
      assertThatThrownBy(() -> empty.verify(rsa.token(TestTokens.claims("u")))).isInstanceOf(TokenRejectedException.class)
        .satisfies(e -> assertThat(((TokenRejectedException) e).code()).isEqualTo("unavailable"));
      assertThat(empty.apiKey("jk_good")).isNull();
      assertThat(empty.permissionsOf(List.of("admin"))).isEmpty();
      empty.close();
    } finally {
      lonely.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void attachAsksForTheSnapshotUntilTheIdentityModuleAnswers() throws Exception {
    Vertx node = Vertx.vertx();
    try {
      JsonObject snapshot = TestTokens.snapshot(42).key(rsa).role("viewer", "gateway.routes.read").json();
      node.setTimer(700, t -> node.eventBus().consumer(TestTokens.SNAPSHOT_ADDRESS, msg -> msg.reply(snapshot)));
      IdentityView attached = IdentityView.attach(node).await(10, TimeUnit.SECONDS);
      assertThat(attached.version()).isEqualTo(42);
      assertThat(attached.verify(rsa.token(TestTokens.claims("u", "viewer"))).permissions()).containsExactly("gateway.routes.read");
      TestTokens.publish(node, TestTokens.snapshot(43).key(rsa).role("viewer", "x").json());
      await(() -> attached.version() == 43);
      attached.close();
    } finally {
      node.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void attachFailsWhenNobodyAnswers() throws Exception {
    Vertx node = Vertx.vertx();
    try {
      assertThatThrownBy(() -> IdentityView.attach(node).await(15, TimeUnit.SECONDS)).hasMessageContaining("no identity snapshot");
    } finally {
      node.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void manyThreadsVerifyWhileSnapshotsChange() throws Exception {
    String token = rsa.token(TestTokens.claims("u-9", "viewer"));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Integer>> runs = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        runs.add(pool.submit(() -> {
          int ok = 0;
          for (int n = 0; n < 2_000; n++) {
            if (view.verify(token).subject().equals("u-9")) {
              ok++;
            }
          }
          return ok;
        }));
      }
      for (int i = 0; i < 20; i++) {
        TestTokens.publish(vertx, base().json());
      }
      for (java.util.concurrent.Future<Integer> run : runs) {
        assertThat(run.get(30, TimeUnit.SECONDS)).isEqualTo(2_000);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
