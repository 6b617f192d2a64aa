package io.junction.gateway.filter.web;

import static io.junction.gateway.filter.web.WebTestBed.error;
import static io.junction.gateway.filter.web.WebTestBed.fails;
import static io.junction.gateway.filter.web.WebTestBed.failsJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CorsFilterTest {

  private static final String APP = "https://app.example.com";
  private static final String POLICY = """
      {"name": "Cors", "args": {"allowedOrigins": ["https://app.example.com"],
       "allowedMethods": ["GET", "POST", "PUT"], "allowedHeaders": ["X-Token", "Content-Type"],
       "exposedHeaders": ["X-Total-Count"], "maxAge": 600}}""";

  @Test
  void allowedPreflightIsAnsweredHereWithTheAllowHeaders() {
    try (WebTestBed bed = WebTestBed.withJson(POLICY).start()) {
      HttpResponse<String> response = bed.preflight("/items", APP, "PUT", "x-token, content-type");
      assertThat(response.statusCode()).isEqualTo(204);
      assertThat(response.body()).isEmpty();
      assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
      assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET,POST,PUT");
      assertThat(response.headers().firstValue("Access-Control-Allow-Headers")).hasValue("x-token,content-type");
      assertThat(response.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
      assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
      assertThat(String.join(",", response.headers().allValues("Vary"))).contains("Origin");
      assertThat(bed.calls()).isZero();
    }
  }

  @Test
  void preflightFromAnotherOriginIsRefused() {
    try (WebTestBed bed = WebTestBed.withJson(POLICY).start()) {
      HttpResponse<String> response = bed.preflight("/items", "https://evil.example.org", "GET", null);
      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(error(response).getString("error")).isEqualTo("forbidden");
      assertThat(error(response).getString("message")).isEqualTo("CORS preflight refused: origin not allowed");
      assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
      assertThat(bed.calls()).isZero();
    }
  }

  @Test
  void preflightForAMethodNotAllowedIsRefused() {
    try (WebTestBed bed = WebTestBed.withJson(POLICY).start()) {
      HttpResponse<String> response = bed.preflight("/items", APP, "DELETE", null);
      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(error(response).getString("message")).isEqualTo("CORS preflight refused: method not allowed");
      assertThat(bed.calls()).isZero();
    }
  }

  @Test
  void preflightAnnouncingAHeaderNotAllowedIsRefused() {
    try (WebTestBed bed = WebTestBed.withJson(POLICY).start()) {
      HttpResponse<String> response = bed.preflight("/items", APP, "POST", "X-Token, X-Secret");
      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(error(response).getString("message")).isEqualTo("CORS preflight refused: header not allowed");
    }
  }

  @Test
  void defaultsAllowGetHeadPostAndAnyHeaderFor30Minutes() {
    try (WebTestBed bed = WebTestBed.with("Cors=https://app.example.com").start()) {
      HttpResponse<String> ok = bed.preflight("/items", APP, "POST", "X-Anything, Content-Type");
      assertThat(ok.statusCode()).isEqualTo(204);
      assertThat(ok.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET,HEAD,POST");
      assertThat(ok.headers().firstValue("Access-Control-Allow-Headers")).hasValue("X-Anything,Content-Type");
      assertThat(ok.headers().firstValue("Access-Control-Max-Age")).hasValue("1800");
      assertThat(bed.preflight("/items", APP, "DELETE", null).statusCode()).isEqualTo(403);
    }
  }

  @Test
  void wildcardOriginAndMethods() {
    try (WebTestBed bed = WebTestBed.withJson("""
        {"name": "Cors", "args": {"allowedOrigins": "*", "allowedMethods": "*"}}""").start()) {
      HttpResponse<String> preflight = bed.preflight("/x", "https://anyone.test", "PATCH", null);
      assertThat(preflight.statusCode()).isEqualTo(204);
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValue("PATCH");
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).isEmpty();

      HttpResponse<String> actual = bed.get("/x", "Origin", "https://anyone.test");
      assertThat(actual.statusCode()).isEqualTo(200);
      assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    }
  }

  @Test
  void allowedCrossOriginRequestGetsTheCorsResponseHeaders() {
    try (WebTestBed bed = WebTestBed.withJson(POLICY)
        .upstream(200, "items", "Access-Control-Allow-Origin", "*", "Vary", "Accept-Encoding").start()) {
      HttpResponse<String> response = bed.get("/items", "Origin", APP);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("items#1");
      // the gateway's policy replaces what the upstream said
      assertThat(response.headers().allValues("Access-Control-Allow-Origin")).containsExactly(APP);
      assertThat(response.headers().firstValue("Access-Control-Expose-Headers")).hasValue("X-Total-Count");
      assertThat(response.headers().allValues("Vary")).containsExactly("Accept-Encoding", "Origin");
      assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
    }
  }

  @Test
  void crossOriginRequestFromAnOriginNotAllowedNeverReachesTheUpstream() {
    try (WebTestBed bed = WebTestBed.withJson(POLICY).start()) {
      HttpResponse<String> response = bed.get("/items", "Origin", "https://evil.example.org");
      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(error(response).getString("error")).isEqualTo("forbidden");
      assertThat(error(response).getString("message")).isEqualTo("CORS request refused: origin not allowed");
      assertThat(bed.calls()).isZero();
    }
  }

  @Test
  void crossOriginRequestWithAMethodNotAllowedIsRefusedAsSpringDoes() {
    try (WebTestBed bed = WebTestBed.withJson(POLICY).start()) {
      HttpResponse<String> response = bed.send(bed.request("/items")
          .method("DELETE", java.net.http.HttpRequest.BodyPublishers.noBody()).header("Origin", APP));
      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(error(response).getString("message")).isEqualTo("CORS request refused: method not allowed");
      assertThat(bed.calls()).isZero();
    }
  }

  @Test
  void requestsWithoutOriginOrFromTheGatewaysOwnOriginPass() {
    try (WebTestBed bed = WebTestBed.withJson(POLICY).start()) {
      HttpResponse<String> plain = bed.get("/items");
      assertThat(plain.statusCode()).isEqualTo(200);
      assertThat(plain.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
      assertThat(plain.headers().allValues("Vary")).containsExactly("Origin");

      HttpResponse<String> sameOrigin = bed.get("/items", "Origin", bed.ownOrigin());
      assertThat(sameOrigin.statusCode()).isEqualTo(200);
      assertThat(sameOrigin.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

      // behind a TLS load balancer: the origin the browser saw is the forwarded one
      HttpResponse<String> forwarded = bed.get("/items", "Origin", "https://shop.example.com",
          "X-Forwarded-Proto", "https", "X-Forwarded-Host", "shop.example.com");
      assertThat(forwarded.statusCode()).isEqualTo(200);
      assertThat(bed.calls()).isEqualTo(3);

      // same host, other scheme: cross-origin
      assertThat(bed.get("/items", "Origin", "https://127.0.0.1").statusCode()).isEqualTo(403);
    }
  }

  @Test
  void originPatternsMatchWildcardsAndPortLists() {
    try (WebTestBed bed = WebTestBed.withJson("""
        {"name": "Cors", "args": {"allowedOriginPatterns": ["https://*.example.com", "http://localhost:[8080,8081]"]}}
        """).start()) {
      HttpResponse<String> sub = bed.get("/x", "Origin", "https://shop.EU.example.com");
      assertThat(sub.statusCode()).isEqualTo(200);
      assertThat(sub.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://shop.EU.example.com");
      assertThat(bed.get("/x", "Origin", "http://localhost:8081").statusCode()).isEqualTo(200);
      assertThat(bed.get("/x", "Origin", "http://localhost:9090").statusCode()).isEqualTo(403);
      assertThat(bed.get("/x", "Origin", "http://shop.example.com").statusCode()).isEqualTo(403);
      assertThat(bed.get("/x", "Origin", "https://example.com.evil.org").statusCode()).isEqualTo(403);
      assertThat(bed.preflight("/x", "https://a.example.com", "GET", null).statusCode()).isEqualTo(204);
    }
  }

  @Test
  void originsCompareIgnoringCaseAndATrailingSlash() {
    try (WebTestBed bed = WebTestBed.with("Cors=https://App.Example.com/").start()) {
      HttpResponse<String> response = bed.get("/x", "Origin", APP);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
    }
  }

  @Test
  void credentialsEchoTheOriginAndAreAllowedWithPatterns() {
    try (WebTestBed bed = WebTestBed.withJson("""
        {"name": "Cors", "args": {"allowedOriginPatterns": "*", "allowCredentials": true}}""").start()) {
      HttpResponse<String> preflight = bed.preflight("/x", APP, "POST", "Content-Type");
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
      HttpResponse<String> actual = bed.get("/x", "Origin", APP);
      assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
      assertThat(actual.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    }
  }

  @Test
  void filtersBeforeCorsStillShapeThePreflightAnswer() {
    try (WebTestBed bed = WebTestBed.with("AddResponseHeader=X-Served-By, junction")
        .then("Cors=https://app.example.com").start()) {
      HttpResponse<String> response = bed.preflight("/x", APP, "GET", null);
      assertThat(response.statusCode()).isEqualTo(204);
      assertThat(response.headers().firstValue("X-Served-By")).hasValue("junction");
    }
  }

  @Test
  void badConfig() {
    fails("Cors").hasMessageContaining("missing required argument 'allowedOrigins' (or 'allowedOriginPatterns')");
    failsJson("""
        {"name": "Cors", "args": {"allowedOrigins": "*", "allowCredentials": true}}""")
        .hasMessageContaining("argument 'allowedOrigins': '*' cannot be combined with allowCredentials=true");
    fails("Cors=example.com").hasMessageContaining("bad origin 'example.com'");
    fails("Cors=https://a.com/path").hasMessageContaining("bad origin 'https://a.com/path'");
    failsJson("""
        {"name": "Cors", "args": {"allowedOriginPatterns": "*.example.com"}}""")
        .hasMessageContaining("bad origin pattern '*.example.com'");
    failsJson("""
        {"name": "Cors", "args": {"allowedOrigins": "https://a.com", "allowedMethods": "GE T"}}""")
        .hasMessageContaining("argument 'allowedMethods': bad value 'GE T'");
    failsJson("""
        {"name": "Cors", "args": {"allowedOrigins": "https://a.com", "maxAge": -1}}""")
        .hasMessageContaining("argument 'maxAge': must be 0 or more seconds");
    failsJson("""
        {"name": "Cors", "args": {"allowedOrigins": "https://a.com", "allowCredentials": "yes"}}""")
        .hasMessageContaining("argument 'allowCredentials': bad boolean 'yes'");
    failsJson("""
        {"name": "Cors", "args": {"allowedOrigin": "https://a.com"}}""")
        .hasMessageContaining("unknown argument 'allowedOrigin'");
  }

  @Test
  void shortcutListsSeveralOrigins() {
    try (WebTestBed bed = WebTestBed.with("Cors=https://a.test, https://b.test").start()) {
      assertThat(bed.get("/x", "Origin", "https://a.test").statusCode()).isEqualTo(200);
      assertThat(bed.get("/x", "Origin", "https://b.test").statusCode()).isEqualTo(200);
      assertThat(bed.get("/x", "Origin", "https://c.test").statusCode()).isEqualTo(403);
    }
  }
}
