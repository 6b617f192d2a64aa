package io.junction.gateway.route.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PathPatternTest {

  private static boolean matches(String pattern, String path) {
    boolean yes = PathPattern.parse(pattern).matches(path);
    // match() and matches() must always agree
    assertThat(PathPattern.parse(pattern).match(path) != null).as("match() of %s on %s", pattern, path)
        .isEqualTo(yes);
    return yes;
  }

  private static Map<String, String> vars(String pattern, String path) {
    return PathPattern.parse(pattern).match(path);
  }

  // ---- spring documented examples ----

  @Test
  void questionMarkMatchesOneCharacter() {
    assertThat(matches("/pages/t?st.html", "/pages/test.html")).isTrue();
    assertThat(matches("/pages/t?st.html", "/pages/tXst.html")).isTrue();
    assertThat(matches("/pages/t?st.html", "/pages/toast.html")).isFalse();
    assertThat(matches("/pages/t?st.html", "/pages/tst.html")).isFalse();
  }

  @Test
  void starMatchesWithinOneSegment() {
    assertThat(matches("/resources/*.png", "/resources/logo.png")).isTrue();
    assertThat(matches("/resources/*.png", "/resources/.png")).isTrue();
    assertThat(matches("/resources/*.png", "/resources/img/logo.png")).isFalse();
    assertThat(matches("/resources/*.png", "/resources/logo.gif")).isFalse();
  }

  @Test
  void doubleStarMatchesAnyDepth() {
    assertThat(matches("/resources/**", "/resources/image.png")).isTrue();
    assertThat(matches("/resources/**", "/resources/css/spring.css")).isTrue();
    assertThat(matches("/resources/**", "/resources")).isTrue();
    assertThat(matches("/resources/**", "/resources/")).isTrue();
    assertThat(matches("/resources/**", "/resourcesX")).isFalse();
    assertThat(matches("/resources/**", "/other/image.png")).isFalse();
  }

  @Test
  void captureTheRestKeepsItsLeadingSlash() {
    assertThat(vars("/resources/{*path}", "/resources/image.png")).containsExactly(Map.entry("path", "/image.png"));
    assertThat(vars("/resources/{*path}", "/resources/css/spring.css"))
        .containsExactly(Map.entry("path", "/css/spring.css"));
    assertThat(vars("/resources/{*path}", "/resources")).containsExactly(Map.entry("path", ""));
    assertThat(vars("/resources/{*path}", "/resources/")).containsExactly(Map.entry("path", "/"));
    assertThat(vars("/{*path}", "/")).containsExactly(Map.entry("path", "/"));
    assertThat(vars("/resources/{*path}", "/other")).isNull();
  }

  @Test
  void regexpVariableMixedWithText() {
    assertThat(vars("/resources/{filename:\\w+}.dat", "/resources/spring.dat"))
        .containsExactly(Map.entry("filename", "spring"));
    assertThat(vars("/resources/{filename:\\w+}.dat", "/resources/spring-boot.dat")).isNull();
  }

  @Test
  void gatewayPathExampleWithSegments() {
    PathPattern red = PathPattern.parse("/red/{segment}");
    assertThat(red.match("/red/1")).containsExactly(Map.entry("segment", "1"));
    assertThat(red.match("/red/1/")).containsExactly(Map.entry("segment", "1"));
    assertThat(red.match("/red/blue")).containsExactly(Map.entry("segment", "blue"));
    assertThat(red.match("/red")).isNull();
    assertThat(red.match("/red/")).isNull();
    assertThat(red.match("/red/1/2")).isNull();
    assertThat(PathPattern.parse("/red/{segment}", false).match("/red/1/")).isNull();
  }

  // ---- literals ----

  @Test
  void exactAndCaseSensitive() {
    assertThat(matches("/api/users", "/api/users")).isTrue();
    assertThat(matches("/api/users", "/api/Users")).isFalse();
    assertThat(matches("/api/users", "/api/users/1")).isFalse();
    assertThat(matches("/api/users", "/api")).isFalse();
    assertThat(matches("/api/users", "/api/user")).isFalse();
  }

  @Test
  void rootPattern() {
    assertThat(matches("/", "/")).isTrue();
    assertThat(matches("/", "/a")).isFalse();
    assertThat(matches("", "/")).isTrue();
  }

  @Test
  void leadingSlashIsAdded() {
    assertThat(matches("api/users", "/api/users")).isTrue();
    assertThat(PathPattern.parse("api/**").toString()).isEqualTo("/api/**");
  }

  @Test
  void noMatchForEmptyOrRelativeInput() {
    assertThat(matches("/**", "")).isFalse();
    assertThat(matches("/a", "a")).isFalse();
  }

  // ---- trailing slash ----

  @Test
  void optionalTrailingSlashByDefault() {
    assertThat(matches("/a/b", "/a/b/")).isTrue();
    assertThat(matches("/a/*", "/a/b/")).isTrue();
    assertThat(matches("/a/b", "/a/b//")).isFalse();
  }

  @Test
  void canBeTurnedOff() {
    PathPattern strict = PathPattern.parse("/a/b", false);
    assertThat(strict.matches("/a/b")).isTrue();
    assertThat(strict.matches("/a/b/")).isFalse();
    assertThat(strict.matchTrailingSlash()).isFalse();
  }

  @Test
  void patternEndingWithSlashNeedsTheSlash() {
    assertThat(matches("/a/b/", "/a/b/")).isTrue();
    assertThat(matches("/a/b/", "/a/b")).isFalse();
  }

  @Test
  void variableDoesNotCaptureTheTrailingSlash() {
    assertThat(vars("/users/{id}", "/users/42/")).containsExactly(Map.entry("id", "42"));
  }

  // ---- single segment wildcard ----

  @Test
  void starIsOneSegment() {
    assertThat(matches("/a/*/c", "/a/b/c")).isTrue();
    assertThat(matches("/a/*/c", "/a/b/x/c")).isFalse();
    assertThat(matches("/a/*", "/a/b")).isTrue();
    assertThat(matches("/a/*", "/a")).isFalse();
  }

  @Test
  void starAtTheEndMatchesAnEmptyLastSegment() {
    assertThat(matches("/a/*", "/a/")).isTrue();
  }

  @Test
  void starInTheMiddleNeedsAtLeastOneCharacter() {
    assertThat(matches("/a/*/c", "/a//c")).isFalse();
    assertThat(matches("/a/*/**", "/a/")).isFalse();
  }

  @Test
  void globsWithinASegment() {
    assertThat(matches("/files/*.tar.*", "/files/x.tar.gz")).isTrue();
    assertThat(matches("/files/a*b*c", "/files/aXXbYYc")).isTrue();
    assertThat(matches("/files/a*b*c", "/files/aXXbYY")).isFalse();
    assertThat(matches("/files/v?/*", "/files/v1/x")).isTrue();
    assertThat(matches("/files/v?", "/files/v12")).isFalse();
  }

  // ---- variables ----

  @Test
  void wholeSegmentVariables() {
    assertThat(vars("/users/{userId}/orders/{orderId}", "/users/7/orders/99"))
        .containsExactly(Map.entry("userId", "7"), Map.entry("orderId", "99"));
  }

  @Test
  void variableNeedsAtLeastOneCharacter() {
    assertThat(vars("/users/{id}/x", "/users//x")).isNull();
  }

  @Test
  void regexpMustMatchTheWholeSegment() {
    PathPattern numeric = PathPattern.parse("/users/{id:\\d+}");
    assertThat(numeric.match("/users/42")).containsExactly(Map.entry("id", "42"));
    assertThat(numeric.match("/users/42a")).isNull();
    assertThat(numeric.match("/users/")).isNull();
  }

  @Test
  void regexpMayContainBracesAndGroups() {
    assertThat(vars("/v/{code:[A-Z]{3}}", "/v/ABC")).containsExactly(Map.entry("code", "ABC"));
    assertThat(vars("/v/{code:[A-Z]{3}}", "/v/ABCD")).isNull();
    assertThat(vars("/v/{kind:(cat|dog)s?}", "/v/dogs")).containsExactly(Map.entry("kind", "dogs"));
  }

  @Test
  void regexpCannotCrossSegments() {
    assertThat(vars("/v/{rest:.*}", "/v/a/b")).isNull();
  }

  @Test
  void severalVariablesInOneSegment() {
    assertThat(vars("/files/{name}.{ext}", "/files/report.pdf"))
        .containsExactly(Map.entry("name", "report"), Map.entry("ext", "pdf"));
    assertThat(vars("/{a}-{b}", "/x-y-z")).containsExactly(Map.entry("a", "x-y"), Map.entry("b", "z"));
  }

  @Test
  void capturedValuesAreTheDecodedText() {
    assertThat(vars("/q/{term}", "/q/a b+c%")).containsExactly(Map.entry("term", "a b+c%"));
  }

  @Test
  void noVariablesGivesASharedEmptyMap() {
    assertThat(vars("/a/**", "/a/b")).isEmpty();
    assertThat(PathPattern.parse("/a/**").hasVariables()).isFalse();
    assertThat(PathPattern.parse("/a/{b}").hasVariables()).isTrue();
    assertThat(PathPattern.parse("/{*rest}").hasVariables()).isTrue();
  }

  @Test
  void regexpMetacharactersInLiteralTextAreLiteral() {
    assertThat(matches("/a.b/{x}.json", "/a.b/1.json")).isTrue();
    assertThat(matches("/a.b/{x}.json", "/aXb/1.json")).isFalse();
    assertThat(matches("/a.b/{x}.json", "/a.b/1Xjson")).isFalse();
    assertThat(matches("/(x)/[y]", "/(x)/[y]")).isTrue();
  }

  // ---- multi segment wildcard outside the end ----

  @Test
  void atTheStart() {
    assertThat(matches("/**/health", "/health")).isTrue();
    assertThat(matches("/**/health", "/svc/a/health")).isTrue();
    assertThat(matches("/**/health", "/svc/a/health/")).isTrue();
    assertThat(matches("/**/health", "/svc/healthz")).isFalse();
  }

  @Test
  void inTheMiddle() {
    assertThat(matches("/api/**/items/{id}", "/api/items/1")).isTrue();
    assertThat(vars("/api/**/items/{id}", "/api/v1/shop/items/1")).containsExactly(Map.entry("id", "1"));
    assertThat(matches("/api/**/items/{id}", "/api/v1/items")).isFalse();
  }

  @Test
  void captureInTheMiddle() {
    assertThat(vars("/files/{*dir}/meta", "/files/a/b/meta")).containsExactly(Map.entry("dir", "/a/b"));
    assertThat(vars("/files/{*dir}/meta", "/files/meta")).containsExactly(Map.entry("dir", ""));
  }

  // ---- bad patterns ----

  @Test
  void twoMultiSegmentWildcards() {
    assertThatThrownBy(() -> PathPattern.parse("/**/a/**"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only one");
    assertThatThrownBy(() -> PathPattern.parse("/**/{*rest}")).hasMessageContaining("only one");
  }

  @Test
  void unbalancedBraces() {
    assertThatThrownBy(() -> PathPattern.parse("/a/{id")).hasMessageContaining("missing '}'");
    assertThatThrownBy(() -> PathPattern.parse("/a/id}")).hasMessageContaining("unexpected '}'");
  }

  @Test
  void badRegexp() {
    assertThatThrownBy(() -> PathPattern.parse("/a/{id:[0-9}"))
        .hasMessageContaining("bad path pattern '/a/{id:[0-9}'");
    assertThatThrownBy(() -> PathPattern.parse("/a/{id:(}")).hasMessageContaining("bad regexp");
  }

  @Test
  void duplicateOrEmptyVariableNames() {
    assertThatThrownBy(() -> PathPattern.parse("/{id}/{id}")).hasMessageContaining("captured twice");
    assertThatThrownBy(() -> PathPattern.parse("/{}")).hasMessageContaining("empty variable name");
    assertThatThrownBy(() -> PathPattern.parse("/{a b}")).hasMessageContaining("bad variable name");
  }

  @Test
  void captureTheRestMustBeAWholeSegment() {
    assertThatThrownBy(() -> PathPattern.parse("/x{*rest}")).hasMessageContaining("whole segment");
  }
}
