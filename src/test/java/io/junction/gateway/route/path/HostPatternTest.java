package io.junction.gateway.route.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HostPatternTest {

  @Test
  void springExampleDoubleStarMatchesAnyNumberOfLabels() {
    HostPattern pattern = HostPattern.parse("**.somehost.org");
    assertThat(pattern.matches("www.somehost.org")).isTrue();
    assertThat(pattern.matches("beta.somehost.org")).isTrue();
    assertThat(pattern.matches("a.b.somehost.org")).isTrue();
    assertThat(pattern.matches("somehost.org")).isTrue();
    assertThat(pattern.matches("www.anotherhost.org")).isFalse();
    assertThat(pattern.matches("notsomehost.org")).isFalse();
  }

  @Test
  void springExampleCapturesSubdomain() {
    assertThat(HostPattern.parse("{sub}.myhost.org").match("www.myhost.org"))
        .containsExactly(Map.entry("sub", "www"));
    assertThat(HostPattern.parse("{sub}.myhost.org").match("a.b.myhost.org")).isNull();
  }

  @Test
  void starIsExactlyOneLabel() {
    HostPattern pattern = HostPattern.parse("*.example.org");
    assertThat(pattern.matches("api.example.org")).isTrue();
    assertThat(pattern.matches("example.org")).isFalse();
    assertThat(pattern.matches("a.b.example.org")).isFalse();
  }

  @Test
  void portIsIgnoredUnlessThePatternHasOne() {
    assertThat(HostPattern.parse("api.example.org").matches("api.example.org:8080")).isTrue();
    assertThat(HostPattern.parse("localhost:8080").matches("localhost:8080")).isTrue();
    assertThat(HostPattern.parse("localhost:8080").matches("localhost:9090")).isFalse();
    assertThat(HostPattern.parse("localhost:8080").matches("localhost")).isFalse();
  }

  @Test
  void caseAndRootDotAreIgnored() {
    assertThat(HostPattern.parse("api.example.org").matches("API.Example.ORG")).isTrue();
    assertThat(HostPattern.parse("api.example.org").matches("api.example.org.")).isTrue();
    assertThat(HostPattern.parse("{sub}.example.org").match("WWW.example.org"))
        .containsExactly(Map.entry("sub", "WWW"));
  }

  @Test
  void regexpAndGlobsWithinLabels() {
    assertThat(HostPattern.parse("{env:dev|test}.example.org").match("test.example.org"))
        .containsExactly(Map.entry("env", "test"));
    assertThat(HostPattern.parse("{env:dev|test}.example.org").matches("prod.example.org")).isFalse();
    assertThat(HostPattern.parse("api-v?.example.org").matches("api-v2.example.org")).isTrue();
  }

  @Test
  void ipv6LiteralHosts() {
    assertThat(HostPattern.parse("[::1]").matches("[::1]:8080")).isTrue();
    assertThat(HostPattern.parse("[::1]").matches("[::2]")).isFalse();
  }

  @Test
  void noHostNeverMatches() {
    assertThat(HostPattern.parse("**").matches(null)).isFalse();
    assertThat(HostPattern.parse("**").match(null)).isNull();
  }

  @Test
  void badPatterns() {
    assertThatThrownBy(() -> HostPattern.parse("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HostPattern.parse("{*rest}.org")).hasMessageContaining("not supported");
    assertThatThrownBy(() -> HostPattern.parse("{sub.org")).hasMessageContaining("missing '}'");
  }
}
