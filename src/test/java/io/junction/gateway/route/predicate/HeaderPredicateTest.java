package io.junction.gateway.route.predicate;

import static io.junction.gateway.route.predicate.Predicates.expanded;
import static io.junction.gateway.route.predicate.Predicates.failsShortcut;
import static io.junction.gateway.route.predicate.Predicates.shortcut;
import static io.junction.gateway.route.predicate.Predicates.test;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeaderPredicateTest {

  @Test
  void springExampleDigitsRequestId() {
    RoutePredicate header = shortcut("Header=X-Request-Id, \\d+");
    assertThat(test(header, new TestRequest().header("X-Request-Id", "123"))).isTrue();
    assertThat(test(header, new TestRequest().header("X-Request-Id", "12a"))).isFalse();
    assertThat(test(header, new TestRequest())).isFalse();
  }

  @Test
  void headerNameIgnoresCase() {
    assertThat(test(shortcut("Header=X-Request-Id, \\d+"), new TestRequest().header("x-request-id", "7")))
        .isTrue();
  }

  @Test
  void anyHeaderLineMayMatch() {
    TestRequest request = new TestRequest().header("X-Tier", "free").header("X-Tier", "gold");
    assertThat(test(shortcut("Header=X-Tier, gold"), request)).isTrue();
  }

  @Test
  void regexpMustMatchTheWholeValueAndALineIsNotSplit() {
    assertThat(test(shortcut("Header=X-Tier, gold"), new TestRequest().header("X-Tier", "golden"))).isFalse();
    assertThat(test(shortcut("Header=X-Tier, gold"), new TestRequest().header("X-Tier", "free, gold"))).isFalse();
  }

  @Test
  void withoutRegexpTheHeaderOnlyHasToBePresent() {
    RoutePredicate header = shortcut("Header=X-Debug");
    assertThat(test(header, new TestRequest().header("X-Debug", ""))).isTrue();
    assertThat(test(header, new TestRequest())).isFalse();
  }

  @Test
  void expandedFormAllowsCommasInTheRegexp() {
    RoutePredicate header = expanded("{\"name\":\"Header\",\"args\":{\"header\":\"X-Id\",\"regexp\":\"\\\\d{1,3}\"}}");
    assertThat(test(header, new TestRequest().header("X-Id", "123"))).isTrue();
    assertThat(test(header, new TestRequest().header("X-Id", "1234"))).isFalse();
  }

  @Test
  void badConfig() {
    failsShortcut("Header").hasMessageContaining("missing required argument 'header'");
    failsShortcut("Header=X-Id, [").hasMessageContaining("argument 'regexp': bad regexp '['");
    failsShortcut("Header=X-Id, \\d{1,3}").hasMessageContaining("too many arguments")
        .hasMessageContaining("expanded");
  }
}
