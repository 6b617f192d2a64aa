package io.junction.gateway.route.predicate;

import static io.junction.gateway.route.predicate.Predicates.failsShortcut;
import static io.junction.gateway.route.predicate.Predicates.shortcut;
import static io.junction.gateway.route.predicate.Predicates.test;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HostPredicateTest {

  @Test
  void springExampleWithTwoPatterns() {
    RoutePredicate host = shortcut("Host=**.somehost.org,**.anotherhost.org");
    assertThat(test(host, new TestRequest().host("www.somehost.org"))).isTrue();
    assertThat(test(host, new TestRequest().host("beta.somehost.org"))).isTrue();
    assertThat(test(host, new TestRequest().host("www.anotherhost.org"))).isTrue();
    assertThat(test(host, new TestRequest().host("www.otherhost.org"))).isFalse();
  }

  @Test
  void capturesTheSubdomainAsATemplateVariable() {
    MatchContext ctx = new MatchContext().beginRoute("r");
    assertThat(shortcut("Host={sub}.myhost.org").test(new TestRequest().host("www.myhost.org:8443"), ctx))
        .isTrue();
    assertThat(ctx.variables()).containsExactly(Map.entry("sub", "www"));
  }

  @Test
  void hostAndPathVariablesAccumulate() {
    MatchContext ctx = new MatchContext().beginRoute("r");
    TestRequest request = new TestRequest().host("eu.api.example.org").path("/orders/9");
    assertThat(shortcut("Host={region}.api.example.org").test(request, ctx)).isTrue();
    assertThat(shortcut("Path=/orders/{id}").test(request, ctx)).isTrue();
    assertThat(ctx.variables()).containsOnly(Map.entry("region", "eu"), Map.entry("id", "9"));
  }

  @Test
  void noHostHeaderNeverMatches() {
    assertThat(test(shortcut("Host=**"), new TestRequest())).isFalse();
  }

  @Test
  void badConfig() {
    failsShortcut("Host").hasMessageContaining("missing required argument 'patterns'");
    failsShortcut("Host={sub.example.org").hasMessageContaining("bad host pattern");
  }
}
