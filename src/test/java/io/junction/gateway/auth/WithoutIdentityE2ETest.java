package io.junction.gateway.auth;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestTokens;
import io.junction.testkit.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.junction.gateway.auth.AuthCalls.bearer;
import static io.junction.gateway.auth.AuthCalls.error;
import static io.junction.gateway.auth.AuthCalls.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No identity snapshot has been published (no identity module answering): routes that check Junction's own
 * tokens or API keys answer 503 unavailable — never 500, never let through — and JwtClaim routes never match.
 */
class WithoutIdentityE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("none");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: jwt
            uri: %1$s
            predicates: [ "Path=/jwt/**" ]
            filters: [ JwtAuth ]
          - id: keyed
            uri: %1$s
            predicates: [ "Path=/keyed/**" ]
            filters: [ ApiKey ]
          - id: claims
            uri: %1$s
            predicates: [ "Path=/claims/**", "JwtClaim=sub" ]
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void tokensAndKeysCannotBeCheckedSoTheAnswerIs503() {
    String token = TestTokens.rsa("k1").token(TestTokens.claims("u", "admin"));
    error(bearer(kit, "/jwt/echo", token), 503, "unavailable");
    error(get(kit, "/keyed/echo", "X-Api-Key", "jk_x"), 503, "unavailable");
    error(get(kit, "/jwt/echo"), 401, "token_missing");
    error(bearer(kit, "/claims/echo", token), 404, "not_found");
    assertThat(upstream.requests()).isZero();
  }
}
