package io.junction.gateway.filter.web;

import io.junction.gateway.filter.Exchange;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

/**
 * What tells two GETs on one route apart for the response cache: the host the client addressed, the path and
 * query as they will go upstream, and, as in Spring, the client's Authorization and Cookie headers, so one
 * caller's response is never served to another. Vary'd headers are checked on the entry ({@link CachedResponse}).
 */
record CacheKey(String host, String path, String query, String authorization, String cookie) {

  static CacheKey of(Exchange exchange) {
    HttpServerRequest request = exchange.request();
    String host = request.getHeader("Host");
    if (host == null && request.authority() != null) {
      host = request.authority().toString();
    }
    return new CacheKey(host, exchange.path(), exchange.encodedQuery(), joined(request.headers(), "Authorization"),
        joined(request.headers(), "Cookie"));
  }

  /** All lines of a header as one value (null when absent), so {@code a, b} and two lines compare alike. */
  static String joined(MultiMap headers, String name) {
    java.util.List<String> values = headers.getAll(name);
    if (values.isEmpty()) {
      return null;
    }
    return values.size() == 1 ? values.get(0) : String.join(", ", values);
  }

  /** Rough bytes this key holds, for the cache's size bound. */
  int weight() {
    return 64 + len(host) + len(path) + len(query) + len(authorization) + len(cookie);
  }

  private static int len(String s) {
    return s == null ? 0 : s.length();
  }
}
