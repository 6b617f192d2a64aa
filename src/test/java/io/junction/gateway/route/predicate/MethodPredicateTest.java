package io.junction.gateway.route.predicate;

import static io.junction.gateway.route.predicate.Predicates.failsShortcut;
import static io.junction.gateway.route.predicate.Predicates.expanded;
import static io.junction.gateway.route.predicate.Predicates.shortcut;
import static io.junction.gateway.route.predicate.Predicates.test;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MethodPredicateTest {

  @Test
  void springExampleGetOrPost() {
    RoutePredicate method = shortcut("Method=GET,POST");
    assertThat(test(method, new TestRequest().method("GET"))).isTrue();
    assertThat(test(method, new TestRequest().method("POST"))).isTrue();
    assertThat(test(method, new TestRequest().method("PUT"))).isFalse();
  }

  @Test
  void configIsUpperCasedButTheRequestMethodIsComparedAsSent() {
    RoutePredicate method = shortcut("Method=get, patch");
    assertThat(test(method, new TestRequest().method("GET"))).isTrue();
    assertThat(test(method, new TestRequest().method("PATCH"))).isTrue();
    assertThat(test(method, new TestRequest().method("get"))).isFalse();
  }

  @Test
  void expandedList() {
    RoutePredicate method = expanded("{\"name\":\"Method\",\"args\":{\"methods\":[\"DELETE\"]}}");
    assertThat(test(method, new TestRequest().method("DELETE"))).isTrue();
    assertThat(test(method, new TestRequest().method("GET"))).isFalse();
  }

  @Test
  void badConfig() {
    failsShortcut("Method").hasMessageContaining("missing required argument 'methods'");
    failsShortcut("Method=GET,PO ST").hasMessageContaining("bad method 'PO ST'");
  }
}
