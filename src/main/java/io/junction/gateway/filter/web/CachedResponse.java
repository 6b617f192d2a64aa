package io.junction.gateway.filter.web;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One stored response: status, end-to-end headers as the upstream (and the filters after the cache) left them,
 * the body, and the request header values its Vary named. Immutable once stored; read from any event loop.
 *
 * @param varyNames      the request headers the response varies on
 * @param varyValues     their values in the request that produced it (null for absent)
 * @param storedAtNanos  when the response head was received ({@link System#nanoTime})
 * @param upstreamAge    the Age the upstream reported, in seconds (0 when none)
 * @param ttlNanos       how long to keep it: the route's timeToLive, shortened by s-maxage/max-age
 */
record CachedResponse(int status, List<Map.Entry<String, String>> headers, Buffer body, List<String> varyNames,
                      List<String> varyValues, long storedAtNanos, long upstreamAge, long ttlNanos, int weight) {

  /** True when the request's values of the Vary'd headers are those the stored response was made for. */
  boolean matchesVary(MultiMap requestHeaders) {
    for (int i = 0; i < varyNames.size(); i++) {
      if (!Objects.equals(CacheKey.joined(requestHeaders, varyNames.get(i)), varyValues.get(i))) {
        return false;
      }
    }
    return true;
  }

  long ageSeconds(long nowNanos) {
    return upstreamAge + Math.max(0, nowNanos - storedAtNanos) / 1_000_000_000L;
  }

  /** A fresh, mutable copy of the headers for one hit (response filters may change it), with Age set. */
  MultiMap headersForHit(long nowNanos) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> header : headers) {
      out.add(header.getKey(), header.getValue());
    }
    out.set("Age", Long.toString(ageSeconds(nowNanos)));
    return out;
  }
}
