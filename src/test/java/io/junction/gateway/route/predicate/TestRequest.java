package io.junction.gateway.route.predicate;

import io.junction.gateway.route.net.IpAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A RouteRequest built by hand, as the HTTP layer would present a real one. */
public final class TestRequest implements RouteRequest {

  private String method = "GET";
  private String path = "/";
  private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private final Map<String, List<String>> query = new LinkedHashMap<>();
  private final Map<String, List<String>> cookies = new LinkedHashMap<>();
  private InetAddress remoteAddress;
  private Map<String, Object> claims;

  public static TestRequest get(String path) {
    return new TestRequest().path(path);
  }

  public TestRequest method(String method) {
    this.method = method;
    return this;
  }

  public TestRequest path(String path) {
    this.path = path;
    return this;
  }

  public TestRequest host(String host) {
    headers.remove("Host");
    return header("Host", host);
  }

  /** Adds one header line. */
  public TestRequest header(String name, String value) {
    headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    return this;
  }

  public TestRequest query(String name, String value) {
    query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    return this;
  }

  public TestRequest cookie(String name, String value) {
    cookies.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    return this;
  }

  public TestRequest remote(String ip) {
    this.remoteAddress = IpAddresses.parseLiteral(ip);
    if (remoteAddress == null) {
      throw new IllegalArgumentException(ip);
    }
    return this;
  }

  public TestRequest claims(Map<String, Object> claims) {
    this.claims = claims;
    return this;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String host() {
    return header("Host");
  }

  @Override
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public List<String> headers(String name) {
    return headers.getOrDefault(name, List.of());
  }

  @Override
  public List<String> queryParams(String name) {
    return query.getOrDefault(name, List.of());
  }

  @Override
  public List<String> cookies(String name) {
    return cookies.getOrDefault(name, List.of());
  }

  @Override
  public InetAddress remoteAddress() {
    return remoteAddress;
  }

  @Override
  public Map<String, Object> claims() {
    return claims;
  }
}
