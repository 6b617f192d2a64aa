package io.junction.gateway.auth;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestTokens;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import static io.junction.gateway.auth.AuthCalls.error;
import static io.junction.gateway.auth.AuthCalls.get;
import static io.junction.gateway.auth.AuthCalls.upstreamHeaders;
import static org.assertj.core.api.Assertions.assertThat;

/** ApiKey (keys from the identity snapshot) and BasicAuth (htpasswd in config and in a file) through a running Junction. */
class ApiKeyAndBasicAuthE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;
  static Path htpasswd;

  static String bcrypt(String password, String version) {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    String hash = OpenBSDBCrypt.generate(password.toCharArray(), salt, 6);
    return version + hash.substring(4);
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("keys");
    htpasswd = Files.createTempFile("htpasswd", "");
    Files.writeString(htpasswd, "# mounted from a Secret\ncarol:" + bcrypt("s3cret-c", "$2b$") + "\n");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: keyed
            uri: %1$s
            predicates: [ "Path=/keyed/**" ]
            filters: [ ApiKey, "RequirePermissions=gateway.routes.read", "JwtClaimHeader=sub, X-User-Id" ]
          - id: keyed-custom
            uri: %1$s
            predicates: [ "Path=/custom/**" ]
            filters:
              - name: ApiKey
                args: { header: X-Key, stripKey: true }
          - id: basic
            uri: %1$s
            predicates: [ "Path=/basic/**" ]
            filters:
              - name: BasicAuth
                args:
                  realm: staff
                  users: [ "alice:%2$s", "bob:%3$s" ]
              - name: RequestRateLimiter
                args: { replenishRate: 100, keyResolver: user }
          - id: basic-file
            uri: %1$s
            predicates: [ "Path=/basicfile/**" ]
            filters: [ "BasicAuth=files, %4$s" ]
      """.formatted(upstream.url(), bcrypt("pa55-alice", "$2y$"), bcrypt("pa55-bob", "$2a$"), htpasswd)).start();
    long now = System.currentTimeMillis();
    TestTokens.publish(kit.vertx(), TestTokens.snapshot(now).key(TestTokens.rsa("k1")).role("viewer", "gateway.routes.read")
      .apiKey("jk_live_good", "user-k", null, "viewer")
      .apiKey("jk_live_norole", "user-n", null)
      .apiKey("jk_live_expired", "user-k", now - 1000, "viewer")
      .apiKey("jk_live_later", "user-k", now + 3_600_000, "viewer").json());
    AuthCalls.await(() -> get(kit, "/keyed/echo", "X-Api-Key", "jk_live_good").statusCode() == 200, "snapshot applied");
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
    Files.deleteIfExists(htpasswd);
  }

  @Test
  void aKnownApiKeySignsItsUserIn() {
    JsonObject headers = upstreamHeaders(get(kit, "/keyed/echo", "X-Api-Key", "jk_live_good"));
    assertThat(headers.getString("x-user-id")).isEqualTo("user-k");
    assertThat(headers.getString("x-api-key")).as("kept unless stripKey").isEqualTo("jk_live_good");
    assertThat(get(kit, "/keyed/echo", "X-Api-Key", "jk_live_later").statusCode()).isEqualTo(200);
    JsonObject custom = upstreamHeaders(get(kit, "/custom/echo", "X-Key", "jk_live_good"));
    assertThat(custom.containsKey("x-key")).isFalse();
  }

  @Test
  void unknownExpiredOrMissingKeysAreRefused() {
    HttpResponse<String> unknown = get(kit, "/keyed/echo", "X-Api-Key", "jk_live_nope");
    error(unknown, 401, "invalid_api_key");
    assertThat(unknown.headers().firstValue("WWW-Authenticate")).hasValue("ApiKey header=\"X-Api-Key\"");
    error(get(kit, "/keyed/echo", "X-Api-Key", "jk_live_expired"), 401, "invalid_api_key");
    error(get(kit, "/keyed/echo"), 401, "api_key_missing");
    error(get(kit, "/keyed/echo", "X-Api-Key", "x".repeat(5000)), 401, "invalid_api_key");
    error(get(kit, "/keyed/echo", "X-Api-Key", "jk_live_norole"), 403, "forbidden");
    error(get(kit, "/custom/echo", "X-Api-Key", "jk_live_good"), 401, "api_key_missing");
  }

  @Test
  void basicAuthAcceptsTheListedUsers() {
    assertThat(get(kit, "/basic/echo", "Authorization", basic("alice", "pa55-alice")).statusCode()).as("$2y$").isEqualTo(200);
    assertThat(get(kit, "/basic/echo", "Authorization", basic("alice", "pa55-alice")).statusCode()).as("cached").isEqualTo(200);
    HttpResponse<String> bob = get(kit, "/basic/echo", "Authorization", basic("bob", "pa55-bob"));
    assertThat(bob.statusCode()).as("$2a$").isEqualTo(200);
    assertThat(bob.headers().firstValue("X-RateLimit-Remaining")).as("keyed by the Basic user").isPresent();
    assertThat(get(kit, "/basicfile/echo", "Authorization", basic("carol", "s3cret-c")).statusCode()).as("$2b$ from a file").isEqualTo(200);
  }

  @Test
  void basicAuthRefusesWrongMissingAndMalformedCredentials() {
    HttpResponse<String> wrong = get(kit, "/basic/echo", "Authorization", basic("alice", "wrong"));
    error(wrong, 401, "invalid_credentials");
    assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Basic realm=\"staff\""));
    error(get(kit, "/basic/echo", "Authorization", basic("alice", "wrong")), 401, "invalid_credentials");
    error(get(kit, "/basic/echo", "Authorization", basic("mallory", "pa55-alice")), 401, "invalid_credentials");
    error(get(kit, "/basic/echo", "Authorization", basic("carol", "s3cret-c")), 401, "invalid_credentials");
    error(get(kit, "/basic/echo"), 401, "credentials_missing");
    error(get(kit, "/basic/echo", "Authorization", "Basic !!!not-base64!!!"), 401, "invalid_credentials");
    error(get(kit, "/basic/echo", "Authorization", "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes())), 401, "invalid_credentials");
    error(get(kit, "/basic/echo", "Authorization", "Bearer abc"), 401, "invalid_credentials");
    error(get(kit, "/basic/echo", "Authorization", "Basic " + "A".repeat(6000)), 401, "invalid_credentials");
  }
}
