package io.junction.gateway.proxy;

/**
 * Where one upstream call goes. {@code lease} is what the service's load balancer handed out (an instance
 * whose in-flight count and passive health must be updated when the call ends), or null for a fixed URI.
 */
public record Target(String host, int port, boolean ssl, Object lease) {
  String authority() {
    boolean defaultPort = ssl ? port == 443 : port == 80;
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return defaultPort ? h : h + ":" + port;
  }
}
