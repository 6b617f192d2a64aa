package io.junction.gateway.route.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrBlockTest {

  private static InetAddress ip(String text) {
    return IpAddresses.parseLiteral(text);
  }

  @Test
  void springExampleSlash24() {
    CidrBlock block = CidrBlock.parse("192.168.1.1/24");
    assertThat(block.contains(ip("192.168.1.10"))).isTrue();
    assertThat(block.contains(ip("192.168.1.255"))).isTrue();
    assertThat(block.contains(ip("192.168.2.1"))).isFalse();
    assertThat(block.network()).hasToString("/192.168.1.0");
    assertThat(block.prefixLength()).isEqualTo(24);
  }

  @Test
  void prefixesThatAreNotWholeBytes() {
    CidrBlock block = CidrBlock.parse("10.0.0.0/13");
    assertThat(block.contains(ip("10.7.255.255"))).isTrue();
    assertThat(block.contains(ip("10.8.0.0"))).isFalse();
  }

  @Test
  void bareAddressIsOneHost() {
    assertThat(CidrBlock.parse("10.0.0.1").contains(ip("10.0.0.1"))).isTrue();
    assertThat(CidrBlock.parse("10.0.0.1").contains(ip("10.0.0.2"))).isFalse();
    assertThat(CidrBlock.parse("10.0.0.1").prefixLength()).isEqualTo(32);
    assertThat(CidrBlock.parse("::1").prefixLength()).isEqualTo(128);
    assertThat(CidrBlock.parse("::1").contains(ip("::1"))).isTrue();
  }

  @Test
  void zeroPrefixMatchesTheWholeFamily() {
    assertThat(CidrBlock.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
    assertThat(CidrBlock.parse("0.0.0.0/0").contains(ip("::1"))).isFalse();
    assertThat(CidrBlock.parse("::/0").contains(ip("2001:db8::1"))).isTrue();
  }

  @Test
  void ipv6Blocks() {
    CidrBlock block = CidrBlock.parse("2a01:111:2050::/44");
    assertThat(block.contains(ip("2a01:111:205f:ffff::1"))).isTrue();
    assertThat(block.contains(ip("2a01:111:2060::1"))).isFalse();
    assertThat(block.isIpv4()).isFalse();
  }

  @Test
  void familiesDoNotMix() {
    assertThat(CidrBlock.parse("10.0.0.0/8").contains(ip("::ffff:10.1.2.3"))).isTrue(); // mapped is IPv4
    assertThat(CidrBlock.parse("10.0.0.0/8").contains(ip("2001:db8::1"))).isFalse();
    assertThat(CidrBlock.parse("::/0").contains(ip("10.0.0.1"))).isFalse();
    assertThat(CidrBlock.parse("10.0.0.0/8").contains(null)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/x", "10.0.0/8",
      "example.org/24", "::1/129", "10.0.0.0/+8", "10.0.0.0/8/8"})
  void badBlocks(String text) {
    assertThatThrownBy(() -> CidrBlock.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad CIDR");
  }
}
