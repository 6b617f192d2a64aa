package io.junction.gateway.filter.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class GlobalCorsTest {

  private static GlobalCors parse(String json, List<String> problems) {
    return GlobalCors.parse(new JsonObject(json), problems);
  }

  private static GlobalCors parseClean(String json) {
    List<String> problems = new ArrayList<>();
    GlobalCors cors = parse(json, problems);
    assertThat(problems).isEmpty();
    return cors;
  }

  @Test
  void firstMatchingPatternWinsInTheOrderWritten() {
    GlobalCors cors = parseClean("""
        {"/api/**": {"allowedOrigins": ["https://api.test"]},
         "/**": {"allowedOrigins": "*"}}""");
    assertThat(cors.filterFor("/api/items").toString()).contains("https://api.test");
    assertThat(cors.filterFor("/api").toString()).contains("https://api.test");
    assertThat(cors.filterFor("/other").toString()).contains("[*]");
  }

  @Test
  void noFilterWhenNoPatternMatches() {
    GlobalCors cors = parseClean("""
        {"/api/**": {"allowedOrigins": ["https://api.test"]}}""");
    assertThat(cors.filterFor("/static/app.js")).isNull();
    assertThat(cors.isEmpty()).isFalse();
  }

  @Test
  void emptyOrMissingConfigIsNone() {
    List<String> problems = new ArrayList<>();
    assertThat(GlobalCors.parse(null, problems)).isSameAs(GlobalCors.NONE);
    assertThat(GlobalCors.parse(new JsonObject(), problems)).isSameAs(GlobalCors.NONE);
    assertThat(GlobalCors.NONE.filterFor("/x")).isNull();
    assertThat(GlobalCors.NONE.isEmpty()).isTrue();
    assertThat(problems).isEmpty();
  }

  @Test
  void acceptsSpringsYamlAsPasted() {
    // spring.cloud.gateway.globalcors: bracketed keys, kebab-case names, the wrapper object
    GlobalCors cors = parseClean("""
        {"add-to-simple-url-handler-mapping": true,
         "cors-configurations": {
           "[/**]": {"allowed-origins": "https://docs.spring.io", "allowed-methods": ["GET"],
                     "allow-credentials": true, "max-age": 60}}}""");
    assertThat(cors.filterFor("/anything")).isInstanceOf(CorsFilter.class);
    assertThat(cors.filterFor("/anything").toString()).contains("https://docs.spring.io").contains("credentials");
  }

  @Test
  void problemsNameThePatternAndKeepTheGoodEntries() {
    List<String> problems = new ArrayList<>();
    GlobalCors cors = parse("""
        {"/ok/**": {"allowedOrigins": "https://ok.test"},
         "/bad/{x": {"allowedOrigins": "https://a.test"},
         "/creds/**": {"allowedOrigins": "*", "allowCredentials": true},
         "/typo/**": {"allowedOrigin": "https://a.test"},
         "/flat/**": "https://a.test"}""", problems);
    assertThat(problems).hasSize(4);
    assertThat(problems.get(0)).startsWith("gateway.globalcors[/bad/{x]: bad path pattern");
    assertThat(problems.get(1)).isEqualTo("gateway.globalcors[/creds/**]: argument 'allowedOrigins': '*' cannot be"
        + " combined with allowCredentials=true: browsers refuse a wildcard Access-Control-Allow-Origin on"
        + " credentialed requests; list the origins, or use allowedOriginPatterns");
    assertThat(problems.get(2)).contains("[/typo/**]").contains("unknown argument 'allowedOrigin'");
    assertThat(problems.get(3)).contains("[/flat/**]").contains("expected an object");
    assertThat(cors.filterFor("/ok/1")).isNotNull();
    assertThat(cors.filterFor("/creds/1")).isNull();
  }

  @Test
  void customProblemPath() {
    List<String> problems = new ArrayList<>();
    GlobalCors.parse(new JsonObject("""
        {"/**": {"maxAge": 5}}"""), "gateway.cors", problems);
    assertThat(problems).containsExactly("gateway.cors[/**]: missing required argument 'allowedOrigins'"
        + " (or 'allowedOriginPatterns')");
  }

  @Test
  void appliedBeforeRoutingItAnswersPreflightsAndShapesResponses() {
    GlobalCors cors = parseClean("""
        {"/**": {"allowedOrigins": ["https://app.test"], "allowedMethods": ["GET", "PUT"]}}""");
    try (WebTestBed bed = WebTestBed.with("AddResponseHeader=X-Route, test").predicate("Path=/api/**")
        .global(cors).start()) {
      // a path no route serves: the preflight is still answered
      HttpResponse<String> unrouted = bed.preflight("/nowhere", "https://app.test", "PUT", null);
      assertThat(unrouted.statusCode()).isEqualTo(204);
      assertThat(unrouted.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.test");

      HttpResponse<String> actual = bed.get("/api/items", "Origin", "https://app.test");
      assertThat(actual.statusCode()).isEqualTo(200);
      assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.test");
      assertThat(actual.headers().firstValue("X-Route")).hasValue("test");

      assertThat(bed.get("/api/items", "Origin", "https://evil.test").statusCode()).isEqualTo(403);
      assertThat(bed.calls()).isEqualTo(1);
    }
  }
}
