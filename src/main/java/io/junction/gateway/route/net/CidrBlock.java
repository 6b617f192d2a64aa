package io.junction.gateway.route.net;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * An IPv4 or IPv6 network such as {@code 192.168.1.0/24} or {@code 2001:db8::/32}.
 * A bare address is a single host ({@code /32} or {@code /128}). Host bits
 * after the prefix are ignored, as Spring's {@code RemoteAddr} does: {@code
 * 192.168.1.10/24} is the network {@code 192.168.1.0/24}.
 */
public final class CidrBlock {

  private final String text;
  private final byte[] network;
  private final int prefixLength;

  private CidrBlock(String text, byte[] network, int prefixLength) {
    this.text = text;
    this.network = network;
    this.prefixLength = prefixLength;
  }

  /** @throws IllegalArgumentException naming what is wrong with {@code text} */
  public static CidrBlock parse(String text) {
    String trimmed = text == null ? "" : text.trim();
    int slash = trimmed.indexOf('/');
    String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
    InetAddress address = IpAddresses.parseLiteral(addressText);
    if (address == null) {
      throw new IllegalArgumentException("bad CIDR '" + text + "': '" + addressText
          + "' is not an IPv4 or IPv6 address");
    }
    byte[] bytes = address.getAddress();
    int maxBits = bytes.length * 8;
    int prefix = maxBits;
    if (slash >= 0) {
      String bits = trimmed.substring(slash + 1);
      try {
        prefix = Integer.parseInt(bits);
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > maxBits || bits.startsWith("+")) {
        throw new IllegalArgumentException("bad CIDR '" + text + "': prefix length must be 0-"
            + maxBits);
      }
    }
    return new CidrBlock(trimmed, mask(bytes, prefix), prefix);
  }

  private static byte[] mask(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] &= (byte) (0xFF << (8 - bitsHere));
    }
    return out;
  }

  /** False for null and for an address of the other family. */
  public boolean contains(InetAddress address) {
    if (address == null) {
      return false;
    }
    byte[] bytes = address.getAddress();
    if (bytes.length != network.length) {
      return false;
    }
    int fullBytes = prefixLength / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (bytes[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int maskByte = 0xFF << (8 - rest);
    return (bytes[fullBytes] & maskByte) == (network[fullBytes] & maskByte);
  }

  public boolean isIpv4() {
    return network.length == 4;
  }

  public int prefixLength() {
    return prefixLength;
  }

  /** The network address (host bits cleared). */
  public InetAddress network() {
    try {
      return isIpv4() ? Inet4Address.getByAddress(network) : InetAddress.getByAddress(network);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
