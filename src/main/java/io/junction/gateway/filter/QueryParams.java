package io.junction.gateway.filter;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A mutable, ordered query string (names may repeat), decoded once and re-encoded only when changed. */
public final class QueryParams {
  private record Param(String name, String value) {
  }

  private final List<Param> params = new ArrayList<>();

  public static QueryParams parse(String rawQuery) {
    QueryParams q = new QueryParams();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return q;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? null : pair.substring(eq + 1);
      q.params.add(new Param(decode(name), value == null ? null : decode(value)));
    }
    return q;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return s; // pass an undecodable value through as sent rather than fail the request
    }
  }

  public List<String> getAll(String name) {
    List<String> out = new ArrayList<>();
    for (Param p : params) {
      if (p.name.equals(name)) {
        out.add(p.value == null ? "" : p.value);
      }
    }
    return out;
  }

  public String get(String name) {
    for (Param p : params) {
      if (p.name.equals(name)) {
        return p.value == null ? "" : p.value;
      }
    }
    return null;
  }

  public void add(String name, String value) {
    params.add(new Param(name, value));
  }

  public void remove(String name) {
    params.removeIf(p -> p.name.equals(name));
  }

  public boolean isEmpty() {
    return params.isEmpty();
  }

  /** The encoded query string, without the leading '?'. */
  public String encode() {
    StringBuilder sb = new StringBuilder();
    for (Param p : params) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(URLEncoder.encode(p.name, StandardCharsets.UTF_8));
      if (p.value != null) {
        sb.append('=').append(URLEncoder.encode(p.value, StandardCharsets.UTF_8));
      }
    }
    return sb.toString();
  }
}
