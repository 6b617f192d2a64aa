package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;

import static io.junction.gateway.e2e.E2E.get;
import static io.junction.gateway.e2e.ProbeUpstream.rh;
import static org.assertj.core.api.Assertions.assertThat;

/** RewriteLocationResponseHeader through a running Junction: a backend's redirect must not leak its address. */
class RewriteLocationResponseHeaderFilterE2ETest {
  static final String BACKEND = "https://object-service.prod:8443/v2/some/object/id";
  static ProbeUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new ProbeUpstream();
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: as-in-request
            uri: %1$s
            predicates: [ "Path=/v1/**,/plain/**" ]
            filters: [ "RewriteLocationResponseHeader=AS_IN_REQUEST, Location, ," ]
          - id: always
            uri: %1$s
            predicates: [ "Path=/always/**" ]
            filters: [ "RewriteLocationResponseHeader=ALWAYS_STRIP, Location, gw.example.com" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/never/**" ]
            filters:
              - name: RewriteLocationResponseHeader
                args: { stripVersionMode: NEVER_STRIP, locationHeaderName: Content-Location, protocols: "https?" }
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  private static HttpResponse<String> redirect(String path, String header, String location) {
    return get(kit, path + "?status=302&" + rh(header, location));
  }

  @Test
  void asInRequestUsesTheClientsHostAndStripsTheVersionTheRequestDidNotHave() {
    HttpResponse<String> r = redirect("/plain/x", "Location", BACKEND);
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().allValues("Location")).containsExactly("https://127.0.0.1:" + kit.publicPort() + "/some/object/id");
  }

  @Test
  void asInRequestKeepsTheVersionWhenTheRequestHadOne() {
    HttpResponse<String> r = redirect("/v1/x", "Location", BACKEND);
    assertThat(r.headers().allValues("Location")).containsExactly("https://127.0.0.1:" + kit.publicPort() + "/v2/some/object/id");
  }

  @Test
  void theClientsHostHeaderAsSent() throws IOException {
    RawHttp.Response r = RawHttp.get(kit.publicPort(), "/plain/x?status=302&" + rh("Location", BACKEND), "Host: shop.example.com");
    assertThat(r.status()).isEqualTo(302);
    assertThat(r.headers("Location")).containsExactly("https://shop.example.com/some/object/id");
  }

  @Test
  void alwaysStripWithAFixedHostValue() {
    assertThat(redirect("/always/x", "Location", BACKEND).headers().allValues("Location"))
      .containsExactly("https://gw.example.com/some/object/id");
  }

  @Test
  void urlsWithoutAPathOrOfAnotherSchemeAreLeftAlone() {
    assertThat(redirect("/plain/x", "Location", "https://object-service.prod:8443").headers().allValues("Location"))
      .containsExactly("https://object-service.prod:8443");
    assertThat(redirect("/plain/x", "Location", "/relative/path").headers().allValues("Location")).containsExactly("/relative/path");
  }

  @Test
  void expandedFormOtherHeaderNeverStripAndOwnProtocols() {
    HttpResponse<String> r = get(kit, "/never/x?" + rh("Content-Location", "https://backend:9000/v3/a") + "&" + rh("Location", BACKEND));
    assertThat(r.headers().allValues("Content-Location")).containsExactly("https://127.0.0.1:" + kit.publicPort() + "/v3/a");
    assertThat(r.headers().allValues("Location")).as("not the configured header").containsExactly(BACKEND);
    assertThat(get(kit, "/never/x?" + rh("Content-Location", "ftp://backend/v1/x")).headers().allValues("Content-Location"))
      .as("ftp is not in protocols").containsExactly("ftp://backend/v1/x");
  }
}
