package io.junction.gateway.route.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {

  @ParameterizedTest
  @CsvSource({
      "10.0.0.1, /10.0.0.1",
      "255.255.255.255, /255.255.255.255",
      "0.0.0.0, /0.0.0.0",
      "::1, /0:0:0:0:0:0:0:1",
      "::, /0:0:0:0:0:0:0:0",
      "2001:db8::8a2e:370:7334, /2001:db8:0:0:0:8a2e:370:7334",
      "2001:0db8:0000:0000:0000:0000:0000:0001, /2001:db8:0:0:0:0:0:1",
      "1:2:3:4:5:6:7::, /1:2:3:4:5:6:7:0",
      "::ffff:192.168.1.1, /192.168.1.1",
      "64:ff9b::10.0.0.1, /64:ff9b:0:0:0:0:a00:1",
      "fe80::1%eth0, /fe80:0:0:0:0:0:0:1",
  })
  void parsesLiterals(String text, String expected) {
    assertThat(IpAddresses.parseLiteral(text)).hasToString(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "localhost", "example.org", "abc.def", "1.2.3", "1.2.3.4.5", "256.1.1.1",
      "1.2.3.-4", "1..2.3", "1:2:3:4:5:6:7:8:9", "1::2::3", ":::", "12345::", "g::1", "::1.2.3",
      "1:2:3:4:5:6:7:8::", "fe80::1%", " 1.2.3.4"})
  void rejectsAnythingElseWithoutDns(String text) {
    assertThat(IpAddresses.parseLiteral(text)).isNull();
  }

  @ParameterizedTest
  @CsvSource({
      "203.0.113.7, /203.0.113.7",
      "' 203.0.113.7 ', /203.0.113.7",
      "203.0.113.7:5555, /203.0.113.7",
      "[2001:db8::1], /2001:db8:0:0:0:0:0:1",
      "[2001:db8::1]:443, /2001:db8:0:0:0:0:0:1",
      "2001:db8::1, /2001:db8:0:0:0:0:0:1",
  })
  void parsesClientAddressesAsProxiesWriteThem(String text, String expected) {
    InetAddress address = IpAddresses.parseClient(text);
    assertThat(address).hasToString(expected);
    assertThat(address).isInstanceOfAny(Inet4Address.class, Inet6Address.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"unknown", "[2001:db8::1", "[2001:db8::1]x", "_hidden", "evil.example.org:80"})
  void rejectsClientValuesThatAreNotAddresses(String text) {
    assertThat(IpAddresses.parseClient(text)).isNull();
  }
}
