package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** Host predicate through a running Junction (raw requests, since java.net.http will not send our Host header). */
class HostPredicateE2ETest {
  static TestUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream("host");
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: wildcard
            uri: %1$s
            predicates: [ "Host=**.somehost.org,www.other.org" ]
            filters: [ "AddRequestHeader=X-Route, wildcard" ]
          - id: captured
            uri: %1$s
            predicates: [ "Host={sub}.myhost.org" ]
            filters: [ "AddRequestHeader=X-Route, captured", "AddRequestHeader=X-Sub, {sub}" ]
          - id: with-port
            uri: %1$s
            predicates:
              - name: Host
                args: { patterns: [ "api.example.org:8443", "*.one.test" ] }
            filters: [ "AddRequestHeader=X-Route, with-port" ]
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  private static RawHttp.Response call(String host) throws IOException {
    return RawHttp.get(kit.publicPort(), "/echo/x", "Host: " + host);
  }

  /** The route that served a Host, or null when Junction answered 404 (no route). */
  private static String routeFor(String host) throws IOException {
    RawHttp.Response r = call(host);
    if (r.status() == 404) {
      assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("not_found");
      return null;
    }
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getJsonObject("headers").getString("x-route");
  }

  @Test
  void doubleStarMatchesAnyNumberOfLabelsIncludingNone() throws IOException {
    assertThat(routeFor("somehost.org")).isEqualTo("wildcard");
    assertThat(routeFor("a.b.somehost.org")).isEqualTo("wildcard");
    assertThat(routeFor("www.other.org")).isEqualTo("wildcard");
    assertThat(routeFor("notsomehost.org")).isNull();
    assertThat(routeFor("other.org")).isNull();
  }

  @Test
  void portIsIgnoredUnlessThePatternHasOneAndCaseDoesNotMatter() throws IOException {
    assertThat(routeFor("somehost.org:8080")).isEqualTo("wildcard");
    assertThat(routeFor("WWW.Other.ORG")).isEqualTo("wildcard");
    assertThat(routeFor("a.somehost.org.")).as("a trailing root dot").isEqualTo("wildcard");
    assertThat(routeFor("api.example.org:8443")).isEqualTo("with-port");
    assertThat(routeFor("api.example.org")).isNull();
    assertThat(routeFor("api.example.org:9000")).isNull();
  }

  @Test
  void expandedFormSingleLabelWildcard() throws IOException {
    assertThat(routeFor("x.one.test")).isEqualTo("with-port");
    assertThat(routeFor("one.test")).as("* needs exactly one label").isNull();
    assertThat(routeFor("a.b.one.test")).isNull();
  }

  @Test
  void capturedLabelIsAUriVariable() throws IOException {
    RawHttp.Response r = call("blue.myhost.org");
    assertThat(r.status()).isEqualTo(200);
    JsonObject headers = new JsonObject(r.body()).getJsonObject("headers");
    assertThat(headers.getString("x-route")).isEqualTo("captured");
    assertThat(headers.getString("x-sub")).isEqualTo("blue");
    assertThat(headers.getString("host")).as("the upstream gets its own Host").isEqualTo("127.0.0.1:" + upstream.port());
    assertThat(headers.getString("x-forwarded-host")).as("the client's Host is passed on").isEqualTo("blue.myhost.org");
    assertThat(routeFor("a.b.myhost.org")).isNull();
  }

  @Test
  void unknownHostMatchesNoRoute() throws IOException {
    int before = upstream.requests();
    assertThat(routeFor("127.0.0.1:" + kit.publicPort())).isNull();
    assertThat(upstream.requests()).isEqualTo(before);
  }
}
