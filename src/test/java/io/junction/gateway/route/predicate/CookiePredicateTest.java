package io.junction.gateway.route.predicate;

import static io.junction.gateway.route.predicate.Predicates.failsShortcut;
import static io.junction.gateway.route.predicate.Predicates.shortcut;
import static io.junction.gateway.route.predicate.Predicates.test;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CookiePredicateTest {

  @Test
  void springExampleChocolate() {
    RoutePredicate cookie = shortcut("Cookie=chocolate, ch.p");
    assertThat(test(cookie, new TestRequest().cookie("chocolate", "chip"))).isTrue();
    assertThat(test(cookie, new TestRequest().cookie("chocolate", "chop"))).isTrue();
    assertThat(test(cookie, new TestRequest().cookie("chocolate", "chips"))).isFalse();
    assertThat(test(cookie, new TestRequest().cookie("vanilla", "chip"))).isFalse();
    assertThat(test(cookie, new TestRequest())).isFalse();
  }

  @Test
  void anyCookieWithTheNameMayMatch() {
    TestRequest request = new TestRequest().cookie("ab", "control").cookie("ab", "variant-b");
    assertThat(test(shortcut("Cookie=ab, variant-.*"), request)).isTrue();
  }

  @Test
  void regexpIsRequiredAsInSpring() {
    failsShortcut("Cookie=chocolate").hasMessageContaining("missing required argument 'regexp'");
    failsShortcut("Cookie").hasMessageContaining("missing required argument 'name'");
    failsShortcut("Cookie=c, *").hasMessageContaining("bad regexp");
  }
}
