package io.junction.gateway.route.predicate;

import static io.junction.gateway.route.predicate.Predicates.expanded;
import static io.junction.gateway.route.predicate.Predicates.failsShortcut;
import static io.junction.gateway.route.predicate.Predicates.shortcut;
import static io.junction.gateway.route.predicate.Predicates.test;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PathPredicateTest {

  @Test
  void springExampleMatchesEitherPatternAndCapturesTheSegment() {
    RoutePredicate path = shortcut("Path=/red/{segment},/blue/{segment}");
    for (String p : new String[] {"/red/1", "/red/1/", "/red/blue", "/blue/green"}) {
      MatchContext ctx = new MatchContext().beginRoute("r");
      assertThat(path.test(TestRequest.get(p), ctx)).as(p).isTrue();
      assertThat(ctx.variables()).containsOnlyKeys("segment");
    }
    assertThat(test(path, TestRequest.get("/green/1"))).isFalse();
  }

  @Test
  void capturesVariablesAndTheMatchedPatternInTheContext() {
    RoutePredicate path = shortcut("Path=/api/users/**,/x/{id}");
    MatchContext ctx = new MatchContext().beginRoute("r");
    assertThat(path.test(TestRequest.get("/x/42"), ctx)).isTrue();
    assertThat(ctx.variables()).containsExactly(Map.entry("id", "42"));
    assertThat(ctx.matchedPathPattern()).isEqualTo("/x/{id}");

    MatchContext other = new MatchContext().beginRoute("r");
    assertThat(path.test(TestRequest.get("/api/users/7/orders"), other)).isTrue();
    assertThat(other.variables()).isEmpty();
    assertThat(other.matchedPathPattern()).isEqualTo("/api/users/**");
  }

  @Test
  void firstMatchingPatternWins() {
    RoutePredicate path = shortcut("Path=/a/{first},/a/{second}");
    MatchContext ctx = new MatchContext().beginRoute("r");
    assertThat(path.test(TestRequest.get("/a/x"), ctx)).isTrue();
    assertThat(ctx.variables()).containsOnlyKeys("first");
  }

  @Test
  void trailingFlagTurnsOffTheOptionalTrailingSlash() {
    RoutePredicate strict = shortcut("Path=/red/{segment},false");
    assertThat(test(strict, TestRequest.get("/red/1"))).isTrue();
    assertThat(test(strict, TestRequest.get("/red/1/"))).isFalse();
    assertThat(test(shortcut("Path=/red/{segment},true"), TestRequest.get("/red/1/"))).isTrue();
  }

  @Test
  void expandedFormWithListAndFlag() {
    RoutePredicate path = expanded(
        "{\"name\":\"Path\",\"args\":{\"patterns\":[\"/a\",\"/b/**\"],\"matchTrailingSlash\":false}}");
    assertThat(test(path, TestRequest.get("/b/c"))).isTrue();
    assertThat(test(path, TestRequest.get("/a"))).isTrue();
    assertThat(test(path, TestRequest.get("/a/"))).isFalse();
  }

  @Test
  void expandedFormWithGeneratedKeys() {
    RoutePredicate path = expanded("{\"name\":\"Path\",\"args\":{\"_genkey_0\":\"/a\",\"_genkey_1\":\"/b\"}}");
    assertThat(test(path, TestRequest.get("/b"))).isTrue();
  }

  @Test
  void expandedFormAcceptsASingleString() {
    assertThat(test(expanded("{\"name\":\"Path\",\"args\":{\"patterns\":\"/one\"}}"), TestRequest.get("/one")))
        .isTrue();
  }

  @Test
  void badConfig() {
    failsShortcut("Path").hasMessageContaining("missing required argument 'patterns'");
    failsShortcut("Path=/a/{id").hasMessageContaining("argument 'patterns'").hasMessageContaining("missing '}'");
    failsShortcut("Path=/a/{id:[}").hasMessageContaining("bad regexp");
    Predicates.failsExpanded("{\"name\":\"Path\",\"args\":{\"patterns\":[\"/a\"],\"matchTrailingSlash\":\"maybe\"}}")
        .hasMessageContaining("bad boolean 'maybe'");
    Predicates.failsExpanded("{\"name\":\"Path\",\"args\":{\"pattern\":\"/a\"}}")
        .hasMessageContaining("unknown argument 'pattern'");
  }
}
