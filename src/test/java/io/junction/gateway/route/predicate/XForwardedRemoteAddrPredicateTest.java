package io.junction.gateway.route.predicate;

import static io.junction.gateway.route.predicate.Predicates.expanded;
import static io.junction.gateway.route.predicate.Predicates.failsExpanded;
import static io.junction.gateway.route.predicate.Predicates.failsShortcut;
import static io.junction.gateway.route.predicate.Predicates.shortcut;
import static io.junction.gateway.route.predicate.Predicates.test;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.route.net.CidrBlock;
import java.util.List;
import org.junit.jupiter.api.Test;

class XForwardedRemoteAddrPredicateTest {

  private static final String XFF = "X-Forwarded-For";

  /** Spring's resolver javadoc: values [0.0.0.1, 0.0.0.2, 0.0.0.3] and what each index picks. */
  @Test
  void maxTrustedIndexPicksFromTheRightAsSpringDocuments() {
    TestRequest request = new TestRequest().remote("10.9.9.9").header(XFF, "0.0.0.1, 0.0.0.2, 0.0.0.3");
    assertThat(picked(1, request)).hasToString("/0.0.0.3");
    assertThat(picked(2, request)).hasToString("/0.0.0.2");
    assertThat(picked(3, request)).hasToString("/0.0.0.1");
    assertThat(picked(4, request)).hasToString("/0.0.0.1");
    assertThat(picked(Integer.MAX_VALUE, request)).hasToString("/0.0.0.1");
  }

  private static Object picked(int maxTrustedIndex, TestRequest request) {
    return new XForwardedRemoteAddrPredicate(List.of(CidrBlock.parse("0.0.0.0/0")), maxTrustedIndex)
        .clientAddress(request);
  }

  @Test
  void springExampleWithQuotedIpv4AndIpv6Sources() {
    RoutePredicate xff = shortcut("XForwardedRemoteAddr=\"20.103.252.85\", \"2a01:111:2050::/44\"");
    assertThat(test(xff, new TestRequest().remote("10.0.0.1").header(XFF, "1.1.1.1, 20.103.252.85"))).isTrue();
    assertThat(test(xff, new TestRequest().remote("10.0.0.1").header(XFF, "2a01:111:2055::9"))).isTrue();
    assertThat(test(xff, new TestRequest().remote("10.0.0.1").header(XFF, "20.103.252.85, 1.1.1.1"))).isFalse();
  }

  @Test
  void defaultTrustsOnlyTheRightMostValueSoALeftSpoofFails() {
    RoutePredicate xff = shortcut("XForwardedRemoteAddr=192.168.0.0/16");
    TestRequest spoofed = new TestRequest().remote("10.0.0.1").header(XFF, "192.168.0.5, 203.0.113.9");
    assertThat(test(xff, spoofed)).isFalse();
  }

  @Test
  void maxTrustedIndexFromTheExpandedForm() {
    RoutePredicate xff = expanded("{\"name\":\"XForwardedRemoteAddr\",\"args\":"
        + "{\"sources\":[\"192.168.0.0/16\"],\"maxTrustedIndex\":2}}");
    TestRequest request = new TestRequest().remote("10.0.0.1").header(XFF, "192.168.0.5, 203.0.113.9");
    assertThat(test(xff, request)).isTrue();
  }

  @Test
  void withoutTheHeaderThePeerAddressIsUsed() {
    RoutePredicate xff = shortcut("XForwardedRemoteAddr=10.0.0.0/8");
    assertThat(test(xff, new TestRequest().remote("10.0.0.1"))).isTrue();
    assertThat(test(xff, new TestRequest().remote("10.0.0.1").header(XFF, " , "))).isTrue();
    assertThat(test(xff, new TestRequest().remote("11.0.0.1"))).isFalse();
  }

  @Test
  void severalHeaderLinesAreDiscardedAsInSpring() {
    RoutePredicate xff = shortcut("XForwardedRemoteAddr=192.168.0.0/16");
    TestRequest request = new TestRequest().remote("10.0.0.1")
        .header(XFF, "192.168.0.5").header(XFF, "192.168.0.6");
    assertThat(test(xff, request)).isFalse();
    assertThat(test(shortcut("XForwardedRemoteAddr=10.0.0.1"), request)).isTrue();
  }

  @Test
  void valuesThatAreNotAddressesNeverMatchAndAreNeverResolved() {
    RoutePredicate xff = shortcut("XForwardedRemoteAddr=0.0.0.0/0, ::/0");
    assertThat(test(xff, new TestRequest().remote("10.0.0.1").header(XFF, "localhost"))).isFalse();
    assertThat(test(xff, new TestRequest().remote("10.0.0.1").header(XFF, "unknown"))).isFalse();
    assertThat(test(xff, new TestRequest().remote("10.0.0.1").header(XFF, "[2001:db8::1]:443"))).isTrue();
  }

  @Test
  void badConfig() {
    failsShortcut("XForwardedRemoteAddr=1.2.3.4/40").hasMessageContaining("bad CIDR");
    failsExpanded("{\"name\":\"XForwardedRemoteAddr\",\"args\":{\"sources\":\"1.2.3.4\",\"maxTrustedIndex\":0}}")
        .hasMessageContaining("argument 'maxTrustedIndex': must be at least 1");
    failsExpanded("{\"name\":\"XForwardedRemoteAddr\",\"args\":{\"sources\":\"1.2.3.4\",\"maxTrustedIndex\":\"x\"}}")
        .hasMessageContaining("bad integer 'x'");
  }
}
