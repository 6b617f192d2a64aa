package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;

import static io.junction.gateway.e2e.E2E.get;
import static io.junction.gateway.e2e.ProbeUpstream.rh;
import static org.assertj.core.api.Assertions.assertThat;

/** SecureHeaders through a running Junction. */
class SecureHeadersFilterE2ETest {
  static final String CSP = "default-src 'self' https:; font-src 'self' https: data:; img-src 'self' https: data:;"
    + " object-src 'none'; script-src https:; style-src 'self' https: 'unsafe-inline'";
  static ProbeUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new ProbeUpstream();
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: defaults
            uri: %1$s
            predicates: [ "Path=/all/**" ]
            filters: [ "SecureHeaders" ]
          - id: some-disabled
            uri: %1$s
            predicates: [ "Path=/some/**" ]
            filters: [ "SecureHeaders=x-frame-options, strict-transport-security" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/custom/**" ]
            filters:
              - name: SecureHeaders
                args: { enable: permissions-policy, frameOptions: SAMEORIGIN, referrer-policy: same-origin, permissionsPolicy: "camera=()" }
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  @Test
  void springsDefaults() {
    HttpResponse<String> r = get(kit, "/all/x");
    assertThat(r.statusCode()).isEqualTo(200);
    HttpHeaders h = r.headers();
    assertThat(h.allValues("X-Xss-Protection")).containsExactly("1 ; mode=block");
    assertThat(h.allValues("Strict-Transport-Security")).containsExactly("max-age=631138519");
    assertThat(h.allValues("X-Frame-Options")).containsExactly("DENY");
    assertThat(h.allValues("X-Content-Type-Options")).containsExactly("nosniff");
    assertThat(h.allValues("Referrer-Policy")).containsExactly("no-referrer");
    assertThat(h.allValues("Content-Security-Policy")).containsExactly(CSP);
    assertThat(h.allValues("X-Download-Options")).containsExactly("noopen");
    assertThat(h.allValues("X-Permitted-Cross-Domain-Policies")).containsExactly("none");
    assertThat(h.allValues("Permissions-Policy")).as("opt-in only").isEmpty();
  }

  @Test
  void whatTheUpstreamSetsIsKept() {
    HttpHeaders h = get(kit, "/all/x?" + rh("X-Frame-Options", "SAMEORIGIN")).headers();
    assertThat(h.allValues("X-Frame-Options")).containsExactly("SAMEORIGIN");
    assertThat(h.allValues("X-Content-Type-Options")).containsExactly("nosniff");
  }

  @Test
  void shortcutDisablesSome() {
    HttpHeaders h = get(kit, "/some/x").headers();
    assertThat(h.allValues("X-Frame-Options")).isEmpty();
    assertThat(h.allValues("Strict-Transport-Security")).isEmpty();
    assertThat(h.allValues("X-Content-Type-Options")).containsExactly("nosniff");
    assertThat(h.allValues("Referrer-Policy")).containsExactly("no-referrer");
  }

  @Test
  void expandedFormChangesValuesAndOptsIn() {
    HttpHeaders h = get(kit, "/custom/x").headers();
    assertThat(h.allValues("X-Frame-Options")).containsExactly("SAMEORIGIN");
    assertThat(h.allValues("Referrer-Policy")).containsExactly("same-origin");
    assertThat(h.allValues("Permissions-Policy")).containsExactly("camera=()");
    assertThat(h.allValues("X-Content-Type-Options")).containsExactly("nosniff");
  }
}
