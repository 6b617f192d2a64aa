package io.junction.gateway.route.predicate;

import static io.junction.gateway.route.predicate.Predicates.expanded;
import static io.junction.gateway.route.predicate.Predicates.failsShortcut;
import static io.junction.gateway.route.predicate.Predicates.shortcut;
import static io.junction.gateway.route.predicate.Predicates.test;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RemoteAddrPredicateTest {

  @Test
  void springExampleSlash24() {
    RoutePredicate remote = shortcut("RemoteAddr=192.168.1.1/24");
    assertThat(test(remote, new TestRequest().remote("192.168.1.10"))).isTrue();
    assertThat(test(remote, new TestRequest().remote("192.168.2.10"))).isFalse();
  }

  @Test
  void anyOfSeveralIpv4AndIpv6Sources() {
    RoutePredicate remote = shortcut("RemoteAddr=10.0.0.0/8, 2001:db8::/32, 127.0.0.1");
    assertThat(test(remote, new TestRequest().remote("10.20.30.40"))).isTrue();
    assertThat(test(remote, new TestRequest().remote("2001:db8:1::5"))).isTrue();
    assertThat(test(remote, new TestRequest().remote("127.0.0.1"))).isTrue();
    assertThat(test(remote, new TestRequest().remote("127.0.0.2"))).isFalse();
    assertThat(test(remote, new TestRequest().remote("2001:db9::1"))).isFalse();
  }

  @Test
  void usesThePeerAddressNotForwardingHeaders() {
    TestRequest request = new TestRequest().remote("203.0.113.5").header("X-Forwarded-For", "10.0.0.1");
    assertThat(test(shortcut("RemoteAddr=10.0.0.0/8"), request)).isFalse();
  }

  @Test
  void unknownPeerNeverMatches() {
    assertThat(test(shortcut("RemoteAddr=0.0.0.0/0"), new TestRequest())).isFalse();
  }

  @Test
  void expandedList() {
    RoutePredicate remote = expanded("{\"name\":\"RemoteAddr\",\"args\":{\"sources\":[\"10.0.0.0/8\"]}}");
    assertThat(test(remote, new TestRequest().remote("10.1.1.1"))).isTrue();
  }

  @Test
  void badConfig() {
    failsShortcut("RemoteAddr").hasMessageContaining("missing required argument 'sources'");
    failsShortcut("RemoteAddr=10.0.0.0/33").hasMessageContaining("argument 'sources': bad CIDR '10.0.0.0/33'");
    failsShortcut("RemoteAddr=intranet").hasMessageContaining("bad CIDR 'intranet'");
  }
}
