package io.junction.gateway.route.predicate;

import static io.junction.gateway.route.predicate.Predicates.failsShortcut;
import static io.junction.gateway.route.predicate.Predicates.shortcut;
import static io.junction.gateway.route.predicate.Predicates.test;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryPredicateTest {

  @Test
  void springExamplePresence() {
    RoutePredicate query = shortcut("Query=green");
    assertThat(test(query, TestRequest.get("/").query("green", "1"))).isTrue();
    assertThat(test(query, TestRequest.get("/").query("green", ""))).isTrue();
    assertThat(test(query, TestRequest.get("/").query("red", "1"))).isFalse();
  }

  @Test
  void springExampleRegexp() {
    RoutePredicate query = shortcut("Query=red, gree.");
    assertThat(test(query, TestRequest.get("/").query("red", "greet"))).isTrue();
    assertThat(test(query, TestRequest.get("/").query("red", "green"))).isTrue();
    assertThat(test(query, TestRequest.get("/").query("red", "greenish"))).isFalse();
    assertThat(test(query, TestRequest.get("/"))).isFalse();
  }

  @Test
  void anyValueOfARepeatedParameterMayMatch() {
    TestRequest request = TestRequest.get("/").query("tag", "x").query("tag", "beta");
    assertThat(test(shortcut("Query=tag, beta"), request)).isTrue();
  }

  @Test
  void badConfig() {
    failsShortcut("Query").hasMessageContaining("missing required argument 'param'");
    failsShortcut("Query=red, (").hasMessageContaining("bad regexp");
  }
}
